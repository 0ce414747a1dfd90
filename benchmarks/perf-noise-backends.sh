#!/usr/bin/env bash
# vine -> vine perf over noise on loopback, once per ChaCha20-Poly1305 backend (libcrypto through
# FFM, the JDK's, vine's; chosen with -Dio.vine.crypto.chacha20poly1305), and optionally with an
# older cli jar as the baseline. Every run moves --bytes up then --bytes down in a fresh client JVM;
# runs go round-robin over the configurations. Besides the wall-clock Gbit/s it prints the bytes
# moved (up + down) per CPU-second of the server process (from /proc; the server stays up, so it is
# warm and its CPU time is the transfer's: it decrypts the upload and encrypts the download) and of
# both processes (this includes the client JVM's start-up and JIT), figures that hold on a busy
# machine, and `openssl speed -evp chacha20-poly1305` (one core) measured in the same run.
#
#   benchmarks/perf-noise-backends.sh [--bytes N] [--runs N] [--backends LIST] [--baseline-jar FILE]...
#
# --backends: comma-separated, of libcrypto,jdk,vine (default: all three); --baseline-jar may be
# repeated (shown as baseline1, baseline2, ... with their own backend choice).
#
# Uses cli/target/vine.jar (build it with: mvn -q -o package -DskipTests -pl cli -am). Loopback
# only; every process it starts is stopped on exit; every client run is bounded by `timeout`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
. "$root/scripts/find-java.sh"
jar="$root/cli/target/vine.jar"
bytes=1073741824
runs=3
baselines=()
backends=libcrypto,jdk,vine
while [ $# -gt 0 ]; do
    case "$1" in
        --bytes) bytes="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --baseline-jar) baselines+=("$2"); shift 2 ;;
        --backends) backends="$2"; shift 2 ;;
        -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "perf-noise-backends: unknown argument: $1" >&2; exit 2 ;;
    esac
done
java="$(vine_find_java)" || { echo "perf-noise-backends: no JDK 25 or newer found" >&2; exit 1; }
[ -f "$jar" ] || { echo "perf-noise-backends: $jar is missing (mvn -q -o package -DskipTests -pl cli -am)" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/perf-noise.XXXXXX")"
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# name|jar|backend property ("" = the jar's own choice)
configs=()
IFS=, read -r -a chosen <<<"$backends"
for b in "${chosen[@]}"; do configs+=("$b|$jar|$b"); done
for i in "${!baselines[@]}"; do configs+=("baseline$((i + 1))|${baselines[$i]}|"); done
debug=-Dorg.slf4j.simpleLogger.log.io.vine.security.crypto=debug
hz="$(getconf CLK_TCK)"

jvm_args() { # backend
    local a=(--enable-native-access=ALL-UNNAMED "$debug")
    [ -n "$1" ] && a+=("-Dio.vine.crypto.chacha20poly1305=$1")
    printf '%s\n' "${a[@]}"
}

cpu_seconds() { # pid: user + system CPU seconds so far
    awk -v hz="$hz" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$1/stat"
}

openssl_gbps() {
    openssl speed -seconds 3 -bytes 65519 -evp chacha20-poly1305 2>/dev/null \
        | awk '/^ChaCha20-Poly1305/ { v = $NF; sub(/k$/, "", v); printf "%.2f", v * 1000 * 8 / 1e9 }'
}

declare -A addr server_pid
for i in "${!configs[@]}"; do
    IFS='|' read -r name cjar backend <<<"${configs[$i]}"
    mapfile -t args < <(jvm_args "$backend")
    "$java" "${args[@]}" -jar "$cjar" perf server --listen /ip4/127.0.0.1/tcp/0 >"$work/server-$name.out" 2>&1 &
    server_pid[$name]=$!
    pids+=($!)
    for _ in $(seq 1 150); do
        [ -s "$work/server-$name.out" ] && head -1 "$work/server-$name.out" | grep -q '/p2p/' && break
        sleep 0.2
    done
    addr[$name]="$(head -1 "$work/server-$name.out")"
    [[ "${addr[$name]}" == */p2p/* ]] || { echo "server $name did not start:" >&2; cat "$work/server-$name.out" >&2; exit 1; }
done

ossl_before="$(openssl_gbps)"
for run in $(seq 1 "$runs"); do
    for i in "${!configs[@]}"; do
        IFS='|' read -r name cjar backend <<<"${configs[$i]}"
        mapfile -t args < <(jvm_args "$backend")
        s0="$(cpu_seconds "${server_pid[$name]}")"
        TIMEFORMAT='%U %S'
        { time timeout -k 5 600 "$java" "${args[@]}" -jar "$cjar" perf client --server "${addr[$name]}" \
            --upload-bytes "$bytes" --download-bytes "$bytes" >"$work/client-$name-$run.out" 2>&1; } 2>"$work/time"
        s1="$(cpu_seconds "${server_pid[$name]}")"
        read -r cu cs <"$work/time"
        awk -v name="$name" -v s0="$s0" -v s1="$s1" -v cu="$cu" -v cs="$cs" -v b="$bytes" '
            /^upload:/ { u = $(NF-1) } /^download:/ { d = $(NF-1) } /^total:/ { t = $(NF-1) }
            /ImplementationChoice/ { impl = $NF }
            END { if (impl == "") impl = "-"; cpu = cu + cs + s1 - s0; printf "%s %s %s %s %.2f %.3f %s %.3f\n", name, u, d, t, cpu, 2 * b * 8 / 1e9 / cpu, impl, 2 * b * 8 / 1e9 / (s1 - s0) }' \
            "$work/client-$name-$run.out" >>"$work/results"
        echo "run $run $(tail -1 "$work/results")" >&2
    done
done
ossl_after="$(openssl_gbps)"

echo
echo "vine -> vine perf over noise, loopback, $bytes bytes each way, $runs runs, medians"
echo "openssl speed -evp chacha20-poly1305 (65519 B, one core): $ossl_before Gbit/s before, $ossl_after after"
echo "  config    backend   (Gbit/s are payload bits; \"per CPU-s\" = (up + down) bits / CPU seconds)"
for name in $(cut -d' ' -f1 "$work/results" | awk '!seen[$0]++'); do
    grep "^$name " "$work/results" | sort -k1,1 | awk -v ob="$ossl_before" -v oa="$ossl_after" '
        function median(a, n,  i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
        { n++; name = $1; u[n] = $2; d[n] = $3; t[n] = $4; c[n] = $6; impl = $7; sv[n] = $8; all = all " " $4 }
        END { o = (ob + oa) / 2; mt = median(t, n)
              printf "  %-9s %-9s up %5.2f  down %5.2f  total %5.2f Gbit/s (runs:%s)  per server CPU-s %5.2f  per CPU-s of both %5.2f  total/openssl %.2f\n",
                  name, impl, median(u, n), median(d, n), mt, all, median(sv, n), median(c, n), mt / o }'
done

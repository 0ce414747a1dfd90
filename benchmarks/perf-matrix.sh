#!/usr/bin/env bash
# The loopback perf matrix, in one go on one machine: vine -> vine over noise and over tls,
# js-libp2p -> js-libp2p (noise, and tls for context), vine -> js and js -> vine (noise), and iperf3
# as the raw-TCP ceiling. Every pair moves --bytes up then --bytes down (/perf/1.0.0), --runs times,
# round-robin over the pairs (all servers stay up); the table shows medians and ratios, the
# one-core `openssl speed` ChaCha20-Poly1305 figure, and the dial + handshake + one ping latency of
# each pair. See benchmarks/README.md.
#
#   benchmarks/perf-matrix.sh [--bytes N] [--runs N] [--warmup-runs N] [--latency-samples N] [--build]
#                             [--install] [--aot on|off|both] [--only TEXT]
#
# Before the measured runs every pair's server serves --warmup-runs (default 1) unmeasured runs, so
# that it has compiled its hot code (vine's JVM and node's V8 alike), as a server that has been up
# for a while has; 0 measures cold servers. Clients are fresh processes in every run either way.
#
# vine processes start with the cli's AOT cache (scripts/vine-aot.sh; trained first when missing or
# stale) unless --aot off; --aot both adds "vine -> vine ..., no aot" rows, so that the two compare in
# one run. --only keeps the pairs whose name contains TEXT (e.g. "vine -> vine"; iperf3 always stays).
#
# Builds cli/target/vine.jar when missing (or with --build) and runs `npm ci` in interop-tests/js
# when its node_modules is missing or stale. Installs nothing else: without iperf3 it prints the
# apt command and skips that row, unless run as root with --install. Loopback only; every process it
# starts is stopped on exit; every client run is bounded by `timeout`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
. "$root/scripts/find-java.sh"
# shellcheck source=../scripts/vine-aot.sh
. "$root/scripts/vine-aot.sh"
jar="$root/cli/target/vine.jar"
jsdir="$root/interop-tests/js"
scripts="$root/benchmarks/scripts"

bytes=1073741824
runs=3
warmup_runs=1
latency_samples=30
latency_warmup=10
build=0
install=0
aot=on
only=""

usage() {
    sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
        --bytes) bytes="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --warmup-runs) warmup_runs="$2"; shift 2 ;;
        --latency-samples) latency_samples="$2"; shift 2 ;;
        --build) build=1; shift ;;
        --install) install=1; shift ;;
        --aot) aot="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "perf-matrix: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
case "$aot" in on|off|both) ;; *) echo "perf-matrix: --aot: $aot (expected: on, off or both)" >&2; exit 2 ;; esac
for v in bytes runs latency_samples; do
    if ! [[ "${!v}" =~ ^[0-9]+$ ]] || [ "${!v}" -lt 1 ]; then
        echo "perf-matrix: --${v//_/-}: ${!v} (expected: a whole number > 0)" >&2
        exit 2
    fi
done
if ! [[ "$warmup_runs" =~ ^[0-9]+$ ]]; then
    echo "perf-matrix: --warmup-runs: $warmup_runs (expected: a whole number >= 0)" >&2
    exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/perf-matrix.XXXXXX")"
pids=()

cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "perf-matrix: $*" >&2; }

# --- prerequisites --------------------------------------------------------------------------

java="$(vine_find_java)" || { log "no JDK 25 or newer found (set VINE_JAVA_HOME)"; exit 1; }
command -v node >/dev/null || { log "node (20 or newer) is required for the js rows"; exit 1; }
command -v openssl >/dev/null || { log "openssl is required for the cipher ceiling"; exit 1; }

if [ "$build" = 1 ] || [ ! -f "$jar" ]; then
    log "building the cli (mvn package -DskipTests -pl cli -am)..."
    (cd "$root" && mvn -q -B -DskipTests -pl cli -am package >&2)
fi
if [ "$aot" != off ] && ! vine_aot_usable "$java" "$root"; then
    log "training the cli's AOT cache (scripts/vine-aot.sh)..."
    vine_aot_train "$java" "$root" || { log "AOT training failed (see $vine_aot_log); rerun with --aot off"; exit 1; }
fi
vine_aot_commands "$java" "$root"
# vine_cmd_of <row>: sets vine_cmd to the java command line of the row's vine processes.
vine_cmd_of() {
    if [ "$aot" = off ] || [[ "$1" == *"no aot"* ]]; then vine_cmd=("${vine_plain_cmd[@]}"); else vine_cmd=("${vine_aot_cmd[@]}"); fi
}
# npm writes node_modules/.package-lock.json: older than package-lock.json means a stale install
if [ ! -f "$jsdir/node_modules/.package-lock.json" ] || [ "$jsdir/package-lock.json" -nt "$jsdir/node_modules/.package-lock.json" ]; then
    log "installing the js harness (npm ci in interop-tests/js: node_modules missing or older than package-lock.json)..."
    (cd "$jsdir" && npm ci --no-audit --no-fund >&2)
fi

have_iperf=1
if ! command -v iperf3 >/dev/null; then
    if [ "$install" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing iperf3 (--install)..."
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q iperf3 >&2
    else
        log "iperf3 is missing: the raw-TCP row is skipped. Install it with: sudo apt-get install iperf3"
        log "(or rerun this script as root with --install)"
        have_iperf=0
    fi
fi

# Only for start_server: it runs in the background subshell, which exec turns into the JVM itself,
# so that the pid the exit trap kills is the JVM's.
vine_exec() { vine_cmd_of "$row"; exec "${vine_cmd[@]}" "$@"; }

# A client run may take at most this long: 2 * bytes at 20 MB/s, plus a minute.
client_timeout=$(( 60 + 2 * bytes / 20000000 ))

# --- servers: one per pair, all up for the whole run -----------------------------------------

declare -A srv_kind srv_sec srv_pid srv_addr srv_err

# start_server <row>: starts the row's server in the background and waits for its address (for
# iperf3: its port) in srv_addr[row]. The pid joins `pids` for the exit trap.
start_server() {
    local row="$1" file="$work/server.${#pids[@]}" pid i port
    case "${srv_kind[$row]}" in
        vine) vine_exec perf server --listen /ip4/127.0.0.1/tcp/0 --security "${srv_sec[$row]}" \
                > "$file.out" 2> "$file.err" & ;;
        js) node "$jsdir/node.mjs" listen --security "${srv_sec[$row]}" --ignore-stdin --timeout 3600 \
                > "$file.out" 2> "$file.err" & ;;
        iperf) port=$(( 40000 + RANDOM % 10000 ))
            iperf3 -s -B 127.0.0.1 -p "$port" > "$file.out" 2> "$file.err" & ;;
    esac
    pid=$!
    pids+=("$pid")
    srv_pid[$row]=$pid
    srv_err[$row]="$file.err"
    srv_addr[$row]=""
    for i in $(seq 1 600); do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "$row: the server exited: $(tail -n 5 "$file.err")"
            return 1
        fi
        if [ "${srv_kind[$row]}" = iperf ]; then
            [ "$i" -ge 10 ] && { srv_addr[$row]=$port; return 0; }
        elif [ -s "$file.out" ]; then
            srv_addr[$row]="$(head -n 1 "$file.out")"
            return 0
        fi
        sleep 0.1
    done
    log "$row: the server printed no address within 60 s"
    return 1
}

# After a failed run: when the row's server is gone, says so (with the end of its stderr) and starts
# another one, so that one lost server costs one run, not the row.
server_gone() {
    local row="$1" pid="${srv_pid[$1]}" rc=0
    if ! kill -0 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null || rc=$?
        log "$row: the server (pid $pid) is gone, exit status $rc; its stderr ends:"
        tail -n 5 "${srv_err[$row]}" >&2 || true
        start_server "$row" || true
    fi
}

# --- clients: each prints "<up Gbit/s|-> <down Gbit/s|-> <total Gbit/s>" ------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
fmt() { awk -v a="$1" 'BEGIN { if (a == "-" || a == "") print "-"; else printf "%.2f", a }'; }

vine_client() { # <addr> <security>  (the row is the caller's $row)
    local out
    vine_cmd_of "$row"
    out="$(timeout -k 5 "$client_timeout" "${vine_cmd[@]}" perf client \
        --server "$1" --security "$2" --upload-bytes "$bytes" --download-bytes "$bytes" --format text)" || {
        log "vine client failed: $out"; return 1; }
    # upload:   N bytes in T s: G Gbit/s (the per-direction split only the text format carries)
    echo "$out" | awk '/^upload:/ { u = $(NF-1) } /^download:/ { d = $(NF-1) } /^total:/ { t = $(NF-1) }
        END { if (t == "") exit 1; print u, d, t }'
}

js_client() { # <addr> <security>
    local out
    out="$(timeout -k 5 "$client_timeout" node "$jsdir/node.mjs" dial "$1" --security "$2" --timeout "$client_timeout" \
        --perf-upload-bytes "$bytes" --perf-download-bytes "$bytes")" || { log "js client failed: $out"; return 1; }
    # js reports one time for upload then download: no per-direction split
    echo "$out" | node -e '
        const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
        if (j.perf == null || j.perf.type !== "final") { process.exit(1) }
        const t = (j.perf.uploadBytes + j.perf.downloadBytes) * 8 / j.perf.timeSeconds / 1e9;
        console.log("-", "-", t.toFixed(4));'
}

iperf_client() { # <port>
    local up down
    up="$(timeout -k 5 "$client_timeout" iperf3 -c 127.0.0.1 -p "$1" -n "$bytes" -J)" || { log "iperf3 failed"; return 1; }
    down="$(timeout -k 5 "$client_timeout" iperf3 -c 127.0.0.1 -p "$1" -n "$bytes" -R -J)" || { log "iperf3 -R failed"; return 1; }
    printf '%s\n%s\n' "$up" "$down" | node -e '
        const text = require("fs").readFileSync(0, "utf8");
        // two JSON documents, one after the other
        const cut = text.indexOf("\n}\n") + 3;
        const [u, d] = [JSON.parse(text.slice(0, cut)), JSON.parse(text.slice(cut))];
        const r = (j) => j.end.sum_received;
        const g = (x) => x.bytes * 8 / x.seconds / 1e9;
        const total = (r(u).bytes + r(d).bytes) * 8 / (r(u).seconds + r(d).seconds) / 1e9;
        console.log(g(r(u)).toFixed(4), g(r(d)).toFixed(4), total.toFixed(4));'
}

# --- latency: "<median ms>" --------------------------------------------------------------------

vine_latency() { # <addr> <security>
    timeout -k 5 120 "$java" --enable-native-access=ALL-UNNAMED -cp "$jar" "$scripts/DialLatency.java" \
        "$1" "$2" "$latency_warmup" "$latency_samples" | node -e '
        const j = JSON.parse(require("fs").readFileSync(0, "utf8")); if (j.medianMs == null) process.exit(1);
        console.log(j.medianMs.toFixed(3))'
}

js_latency() { # <addr> <security>
    timeout -k 5 150 node "$scripts/dial-latency.mjs" "$1" "$2" "$latency_warmup" "$latency_samples" | node -e '
        const j = JSON.parse(require("fs").readFileSync(0, "utf8")); if (j.medianMs == null) process.exit(1);
        console.log(j.medianMs.toFixed(3))'
}

# --- the matrix -------------------------------------------------------------------------------

declare -A client ups downs totals up down total lat raw
rows=()

add_pair() { # <row> <server kind> <client kind> <security>
    [ -z "$only" ] || [[ "$1" == *"$only"* ]] || [ "$2" = iperf ] || return 0
    rows+=("$1")
    srv_kind[$1]="$2"
    client[$1]="$3"
    srv_sec[$1]="$4"
}

median() { tr " " "\n" | awk '$1 != "" && $1 != "-"' | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "-"; exit } print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

add_pair "vine -> vine noise" vine vine noise
add_pair "vine -> vine tls" vine vine tls
if [ "$aot" = both ]; then
    add_pair "vine -> vine noise, no aot" vine vine noise
    add_pair "vine -> vine tls, no aot" vine vine tls
fi
add_pair "js -> js noise" js js noise
add_pair "js -> js tls" js js tls
add_pair "vine -> js noise" js vine noise
add_pair "js -> vine noise" vine js noise
iperf_row="iperf3 (raw TCP)"
[ "$have_iperf" = 1 ] && add_pair "$iperf_row" iperf iperf ""

round_load=()
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
load_before="$(uptime | sed 's/.*load average: //')"

for row in "${rows[@]}"; do
    start_server "$row" || true
done

# Unmeasured warm-up runs of every pair but iperf3 (whose server has no JIT to warm).
for i in $(seq 1 "$warmup_runs"); do
    for row in "${rows[@]}"; do
        [ -n "${srv_addr[$row]}" ] && [ "${srv_kind[$row]}" != iperf ] || continue
        if "${client[$row]}_client" "${srv_addr[$row]}" ${srv_sec[$row]} > /dev/null; then
            log "$row warm-up run $i done"
        else
            log "$row warm-up run $i failed"
            server_gone "$row"
        fi
    done
done

# Round-robin: run i of every pair, then run i + 1, so that a change of the machine's load during the
# run spreads over all pairs instead of landing on one.
for i in $(seq 1 "$runs"); do
    round_load+=("$(uptime | sed 's/.*load average: //; s/,.*//')")
    for row in "${rows[@]}"; do
        [ -n "${srv_addr[$row]}" ] || { log "$row run $i skipped: no server"; continue; }
        if r="$("${client[$row]}_client" "${srv_addr[$row]}" ${srv_sec[$row]})"; then
            set -- $r
            ups[$row]+=" $1"; downs[$row]+=" $2"; totals[$row]+=" $3"
            log "$row run $i: up $1 down $2 total $3 Gbit/s"
        else
            log "$row run $i failed"
            server_gone "$row"
        fi
    done
done

for row in "${rows[@]}"; do
    up[$row]="$(echo "${ups[$row]:-}" | median)"
    down[$row]="$(echo "${downs[$row]:-}" | median)"
    total[$row]="$(echo "${totals[$row]:-}" | median)"
    raw[$row]="$(echo "${totals[$row]:-}" | awk '{ for (i = 1; i <= NF; i++) printf "%s%.2f", (i > 1 ? " " : ""), $i }')"
    lat[$row]="-"
    [ "${srv_kind[$row]}" != iperf ] && [ -n "${srv_addr[$row]}" ] || continue
    if r="$("${client[$row]}_latency" "${srv_addr[$row]}" "${srv_sec[$row]}")"; then
        lat[$row]="$r"
        log "$row dial+handshake+ping median: $r ms"
    else
        log "$row latency run failed"
        server_gone "$row"
    fi
done

log "== openssl speed -evp chacha20-poly1305 -seconds 3 -bytes 16384 =="
# "ChaCha20-Poly1305  5687910.40k": thousands of bytes per second, one process = one core
openssl_kbs="$(openssl speed -evp chacha20-poly1305 -seconds 3 -bytes 16384 2>/dev/null \
    | awk 'tolower($1) == "chacha20-poly1305" { v = $NF } END { sub(/k$/, "", v); print v }')"
openssl_gbit="$(awk -v k="$openssl_kbs" 'BEGIN { printf "%.2f", k * 1000 * 8 / 1e9 }')"

load_after="$(uptime | sed 's/.*load average: //')"

# --- the table --------------------------------------------------------------------------------

base="${total[js -> js noise]:--}"
ceiling="${total[$iperf_row]:--}"
base_lat="${lat[js -> js noise]:--}"

echo
echo "Loopback perf matrix, $started; $(nproc) cores; $(uname -m)"
echo "$bytes bytes up then $bytes bytes down per run, $runs runs per pair after $warmup_runs unmeasured warm-up run(s) per server, medians; load average before: $load_before, after: $load_after"
echo
printf '| %-26s | %9s | %9s | %10s | %9s | %9s | %-26s | %12s | %9s |\n' \
    "pair" "up Gbit/s" "down" "total" "/ js->js" "/ iperf3" "total, each run" "dial+ping ms" "/ js->js"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "----------------------------" "----------:" "----------:" "-----------:" \
    "----------:" "----------:" "----------------------------" "-------------:" "----------:"
for row in "${rows[@]}"; do
    t="${total[$row]:--}"
    l="${lat[$row]:--}"
    printf '| %-26s | %9s | %9s | %10s | %9s | %9s | %-26s | %12s | %9s |\n' "$row" \
        "$(fmt "${up[$row]:--}")" "$(fmt "${down[$row]:--}")" "$(fmt "$t")" "$(ratio "$t" "$base")" \
        "$(ratio "$t" "$ceiling")" "${raw[$row]:--}" "$(fmt "$l")" "$(ratio "$l" "$base_lat")"
done
echo
echo "openssl speed -evp chacha20-poly1305 -seconds 3 -bytes 16384 (one core): $openssl_gbit Gbit/s"
vn="${total[vine -> vine noise]:--}"
vt="${total[vine -> vine tls]:--}"
echo "vine -> vine noise / openssl one core: $(ratio "$vn" "$openssl_gbit")"
if [ "$aot" = both ]; then
    for sec in noise tls; do
        echo "vine -> vine $sec, AOT cache / no AOT cache: total $(ratio "${total[vine -> vine $sec]:--}" "${total[vine -> vine $sec, no aot]:--}")," \
            "dial+ping $(ratio "${lat[vine -> vine $sec]:--}" "${lat[vine -> vine $sec, no aot]:--}") (the dialing side is one warmed-up process; only the server differs)"
    done
fi
echo "vine processes (servers and perf clients): $([ "$aot" = off ] && echo "without the AOT cache" || echo "with the cli's AOT cache (scripts/vine-aot.sh)")$([ "$aot" = both ] && echo ", except the \"no aot\" rows")"
echo
echo "1-minute load average at the start of each round: ${round_load[*]}"
echo "Gbit/s counts payload bytes (perf) or TCP payload (iperf3); total = (up + down) bytes / time of both."
echo "up/down: only vine clients (text output) and iperf3 report per direction; js clients report the total."
echo "dial+ping ms: median of $latency_samples in-process fresh dials (after $latency_warmup warm-up) of one client"
echo "process: TCP connect + multistream + security handshake + yamux + one ping round trip, then close."
echo "JVM and node start-up are not included (benchmarks/scripts/DialLatency.java, dial-latency.mjs);"
echo "its \"/ js->js\" is this row's time over js->js noise: below 1 is faster."
echo
check() { # <label> <ratio> <at least>
    local verdict
    verdict="$(awk -v r="$2" -v m="$3" 'BEGIN { if (r == "-") print "n/a"; else print (r + 0 >= m + 0 ? "met" : "NOT met") }')"
    printf '  %-52s %7s (target >= %s): %s\n' "$1" "$2" "$3" "$verdict"
}
echo "Targets (ratios in this run):"
check "vine->vine noise / js->js noise" "$(ratio "$vn" "$base")" 1
check "vine->vine noise / openssl chacha20-poly1305 one core" "$(ratio "$vn" "$openssl_gbit")" 0.33
check "vine->vine tls / js->js noise" "$(ratio "$vt" "$base")" 2
check "js->js noise dial+ping / vine->vine noise dial+ping" "$(ratio "$base_lat" "${lat[vine -> vine noise]:--}")" 1

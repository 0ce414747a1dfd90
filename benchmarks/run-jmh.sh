#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs the JMH benchmarks with short settings that suit a
# small (2-core) machine: one fork, 3 warm-up and 5 measured iterations of 1 s, one thread. Then
# prints the AEAD and Noise scores in Gbit/s and, when openssl is installed, the reference figure of
# `openssl speed -evp chacha20-poly1305` for the same 65519-byte records on one core.
#
# Usage: benchmarks/run-jmh.sh [JMH options and benchmark regexes]
#        benchmarks/run-jmh.sh --cpu-time
#   benchmarks/run-jmh.sh                       all benchmarks
#   benchmarks/run-jmh.sh --cpu-time            AEAD and Noise record layer per CPU-second (as openssl
#                                               speed counts): the figures to trust on a busy machine;
#                                               also libcrypto's AEAD through FFM, for comparison
#   benchmarks/run-jmh.sh Aead -p size=65519    only the AEAD, only full-size records
#   benchmarks/run-jmh.sh -l                    list the benchmarks
# Environment: VINE_JMH_NO_BUILD=1 skips the build; VINE_JAVA_HOME picks the JDK (25 or newer).
# Results: benchmarks/target/jmh-result.json
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
. "$root/scripts/find-java.sh"
jar="$root/benchmarks/target/benchmarks.jar"
result="$root/benchmarks/target/jmh-result.json"

java_bin="$(vine_find_java)" || { echo "run-jmh: no JDK 25 or newer found" >&2; exit 1; }

if [ "${VINE_JMH_NO_BUILD:-0}" != 1 ]; then
    (cd "$root" && mvn -q -B -DskipTests -pl benchmarks -am package)
fi

openssl_reference() {
    command -v openssl >/dev/null 2>&1 || return 0
    echo
    echo "Reference: openssl speed -seconds 3 -bytes 65519 -evp chacha20-poly1305 (one core, CPU time)"
    openssl speed -seconds 3 -bytes 65519 -evp chacha20-poly1305 2>/dev/null | awk '
        /^ChaCha20-Poly1305/ { v = $NF; sub(/k$/, "", v); printf "  openssl %-30s %7.2f Gbit/s\n", "ChaCha20-Poly1305 65519 B", v * 1000 * 8 / 1e9 }'
}

if [ "${1:-}" = --cpu-time ]; then
    native=--enable-native-access=ALL-UNNAMED
    "$java_bin" $native -cp "$jar" io.vine.benchmarks.AeadCpuTime
    "$java_bin" $native -XX:+UnlockDiagnosticVMOptions -XX:-UsePoly1305Intrinsics -cp "$jar" io.vine.benchmarks.AeadCpuTime \
        | sed '1s/$/, JDK Poly1305 intrinsic off as on CPUs without IFMA/'
    for impl in libcrypto vine jdk; do
        "$java_bin" $native -cp "$jar" io.vine.security.noise.NoiseCpuTime "$impl"
    done
    "$java_bin" --enable-native-access=ALL-UNNAMED -cp "$jar" io.vine.benchmarks.OpenSslAeadCpuTime
    openssl_reference
    exit 0
fi

"$java_bin" -jar "$jar" -f 1 -wi 3 -w 1s -i 5 -r 1s -t 1 -rf json -rff "$result" "$@"

case " $* " in *" -l "*|*" -h "*|*" -lp "*) exit 0 ;; esac

if command -v python3 >/dev/null 2>&1 && [ -s "$result" ]; then
    python3 - "$result" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
print("\nThroughput in Gbit/s (plaintext bytes x 8 per second, one thread):")
for r in rows:
    p = r.get("params", {})
    size = p.get("size")
    if size is None or r["primaryMetric"]["scoreUnit"] != "ops/s":
        continue
    name = r["benchmark"].rsplit(".", 2)
    score = r["primaryMetric"]["score"] * int(size) * 8 / 1e9
    err = r["primaryMetric"]["scoreError"] * int(size) * 8 / 1e9
    label = " ".join(f"{k}={v}" for k, v in sorted(p.items()))
    print(f"  {name[-2]}.{name[-1]:<10} {label:<40} {score:7.2f} ± {err:.2f}")
PY
fi

openssl_reference

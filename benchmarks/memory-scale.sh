#!/usr/bin/env bash
# Memory at scale: starts a vine server process and a vine client process on loopback, each with a
# 512 MiB heap; the client opens 1000 connections (Noise, Yamux, identify, ping) with 10 echo streams
# each and has both processes measure heap after full GC, Netty direct memory, RSS and threads at
# baseline, with the connections, with the streams, and after closing. Prints a table per process,
# the class histogram growth per connection and per stream, and one JSON line (prefixed "JSON ").
#
# Usage: benchmarks/memory-scale.sh [client options]
#   benchmarks/memory-scale.sh                                  1000 connections x 10 streams
#   benchmarks/memory-scale.sh --connections 200 --streams 50   another shape
# Client options: --connections n --streams n --concurrency n --warmup n --payload bytes --phase-timeout s
#   --hold s (keep every stream open s seconds after measuring, e.g. to run jcmd on both pids)
# Environment: VINE_MEM_HEAP (default 512m) sets -Xmx of both processes; VINE_MEM_JAVA_OPTS adds JVM
#   options to both (e.g. "-XX:NativeMemoryTracking=summary" adds an NMT table per process; "-Xms512m
#   -XX:+AlwaysPreTouch" makes RSS growth native memory only); VINE_MEM_TIMEOUT (default 180) bounds
#   the whole run in seconds; VINE_MEM_NO_BUILD=1 skips the build; VINE_JAVA_HOME picks the JDK (25+).
# Exit status: the client's (0 ok, 1 a phase failed, 2 bad arguments), 124 on timeout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
. "$root/scripts/find-java.sh"
jar="$root/benchmarks/target/benchmarks.jar"
main=io.vine.benchmarks.memory.MemoryScale
heap="${VINE_MEM_HEAP:-512m}"
budget="${VINE_MEM_TIMEOUT:-180}"
read -r -a extra <<< "${VINE_MEM_JAVA_OPTS:-}"

java_bin="$(vine_find_java)" || { echo "memory-scale: no JDK 25 or newer found" >&2; exit 1; }

if [ "${VINE_MEM_NO_BUILD:-0}" != 1 ]; then
    echo "memory-scale: building (mvn -q -DskipTests package -pl benchmarks -am)..." >&2
    (cd "$root" && mvn -q -B -DskipTests package -pl benchmarks -am >&2)
fi

work="$(mktemp -d)"
server_pid=""
client_pid=""
cleanup() {
    local p
    for p in "$client_pid" "$server_pid"; do
        if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
            kill "$p" 2>/dev/null || true
            sleep 1
            kill -9 "$p" 2>/dev/null || true
        fi
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

jvm=("$java_bin" "-Xmx$heap" "${extra[@]}" -cp "$jar")
deadline=$((SECONDS + budget))

timeout "$budget" "${jvm[@]}" "$main" server --listen /ip4/127.0.0.1/tcp/0 > "$work/server.log" 2>&1 &
server_pid=$!
address=""
while [ -z "$address" ]; do
    if ! kill -0 "$server_pid" 2>/dev/null || [ "$SECONDS" -ge $((deadline - budget + 30)) ]; then
        echo "memory-scale: the server did not start listening:" >&2
        cat "$work/server.log" >&2
        exit 1
    fi
    sleep 0.2
    address="$(sed -n 's/^listening //p' "$work/server.log" | head -n 1)"
done
server_java="$(sed -n 's/^server pid //p' "$work/server.log" | head -n 1)"
echo "memory-scale: server (java pid $server_java) listening on $address; heap -Xmx$heap on both sides" >&2

status=0
: > "$work/client.log" # exists before tail opens it
timeout $((deadline - SECONDS)) "${jvm[@]}" "$main" client --server "$address" "$@" > "$work/client.log" 2>&1 &
client_pid=$!
echo "===== client process ====="
# In the background, so that a signal reaches the traps at once.
tail -n +1 -f --pid="$client_pid" "$work/client.log" | grep --line-buffered -v '^{"benchmark"' &
printer=$!
wait "$client_pid" || status=$?
wait "$printer" || true
client_pid=""

# The client tells the server to exit; give it a moment, then the trap stops it if need be.
for _ in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
done

echo "===== server process (java pid $server_java) ====="
grep -v '^measured ' "$work/server.log" || true
sed -n 's/^{"benchmark"/JSON {"benchmark"/p' "$work/client.log"
[ "$status" = 124 ] && echo "memory-scale: timed out after ${budget} s" >&2
exit "$status"

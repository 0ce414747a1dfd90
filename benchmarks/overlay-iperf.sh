#!/usr/bin/env bash
# Overlay throughput and latency against the raw link: two network namespaces joined by one veth pair
# (10.0.0.1/24 - 10.0.0.2/24), one vine overlay node in each (io.vine.benchmarks.overlay.OverlayNode:
# a real TUN device, 10.42.1.1 and 10.42.2.1, TCP + Noise or TLS + Yamux over the veth). For every
# security protocol and offload setting it starts both nodes, waits for the direct session, then runs
# iperf3 TCP through the overlay and, in the same run, iperf3 over the raw veth, and ping over the
# overlay and over the veth. Prints a table, the throughput ratio, one JSON line per case (prefixed
# "JSON ") and whether the target holds: the overlay carries at least a fifth of the raw veth
# throughput with tls and offloads. "offload on": the TUN devices use virtio-net headers (superpackets
# travel whole between the nodes) and the veth keeps the kernel's offloads; "offload off": plain
# packets, and TSO, GSO and GRO off on both veth ends (ethtool), for the overlay's underlay and the raw
# measurement alike.
#
# Each case first warms the nodes with one unmeasured iperf3 run through the overlay
# (VINE_IPERF_WARMUP seconds, default 10): fresh node JVMs compile their hot code during their first
# seconds of traffic (a profile of a cold run showed the JIT's compiler threads using 30 % of both
# cores several seconds in), and an operator's node runs for days. Then VINE_IPERF_ROUNDS rounds
# (default 3) of one overlay and one veth run, each omitting its first second (TCP slow start, as
# iperf3 --omit intends); the table shows the medians. The raw veth rate varies a lot from run to run
# on a small VM (37 to 80 Gbit/s seen), which is why it is measured in every round.
#
# Usage: benchmarks/overlay-iperf.sh   (root; installs iperf3, iputils-ping, jq and ethtool when missing)
# Environment: VINE_IPERF_SECONDS (default 5) per measured iperf3 run; VINE_IPERF_WARMUP and
#   VINE_IPERF_ROUNDS (above); VINE_IPERF_SECURITY (default "noise tls");
#   VINE_IPERF_OFFLOAD (default "off on"); VINE_IPERF_MTU (default 1420) of the TUN devices;
#   VINE_IPERF_BITRATE caps the measured overlay runs (iperf3 -b, e.g. 5G): below saturation,
#   Gbit_per_cpu compares the CPU cost of two builds more steadily than saturated throughput does;
#   VINE_IPERF_TIMEOUT (default 600) bounds the whole run in seconds; VINE_IPERF_NO_BUILD=1 skips the
#   build; VINE_IPERF_JAR runs another benchmarks jar (e.g. a copy of an older build, to compare);
#   VINE_JAVA_HOME picks the JDK (25+); VINE_IPERF_JAVA_OPTS adds JVM options to both nodes
#   (e.g. "-XX:StartFlightRecording=filename=/tmp/node.jfr" — both nodes write that file: use %p). Node logs stay in the work directory only on failure.
# Exit status: 0 measured (whether or not the target holds), 1 a step failed, 124 on timeout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
. "$root/scripts/find-java.sh"
jar="${VINE_IPERF_JAR:-$root/benchmarks/target/benchmarks.jar}"
main=io.vine.benchmarks.overlay.OverlayNode
seconds="${VINE_IPERF_SECONDS:-5}"
warmup="${VINE_IPERF_WARMUP:-10}"
rounds="${VINE_IPERF_ROUNDS:-3}"
securities="${VINE_IPERF_SECURITY:-noise tls}"
offloads="${VINE_IPERF_OFFLOAD:-off on}"
mtu="${VINE_IPERF_MTU:-1420}"
budget="${VINE_IPERF_TIMEOUT:-600}"
bitrate="${VINE_IPERF_BITRATE:-}"

# The whole run is bounded: the script runs itself again under timeout(1), whose TERM runs the cleanup.
if [ -z "${VINE_IPERF_BOUNDED:-}" ]; then
    status=0
    VINE_IPERF_BOUNDED=1 timeout "$budget" "$0" "$@" || status=$?
    [ "$status" = 124 ] && echo "overlay-iperf: timed out after $budget s" >&2
    exit "$status"
fi
if [ "$(id -u)" != 0 ]; then
    echo "overlay-iperf: needs root (network namespaces, TUN devices)" >&2
    exit 1
fi
missing=()
command -v iperf3 >/dev/null || missing+=(iperf3)
command -v ping >/dev/null || missing+=(iputils-ping)
command -v jq >/dev/null || missing+=(jq)
command -v ethtool >/dev/null || missing+=(ethtool)
command -v ip >/dev/null || missing+=(iproute2)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "overlay-iperf: installing ${missing[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

java_bin="$(vine_find_java)" || { echo "overlay-iperf: no JDK 25 or newer found" >&2; exit 1; }
if [ "${VINE_IPERF_NO_BUILD:-0}" != 1 ]; then
    echo "overlay-iperf: building (mvn -q -DskipTests package -pl benchmarks -am)..." >&2
    (cd "$root" && mvn -q -B -DskipTests package -pl benchmarks -am >&2)
fi
read -r -a extra <<< "${VINE_IPERF_JAVA_OPTS:-}"
jvm=("$java_bin" -Xmx512m --enable-native-access=ALL-UNNAMED "${extra[@]}" -cp "$jar" "$main")
plain_jvm=("$java_bin" -cp "$jar" "$main")

ns_a="vine-iperf-$$-a"
ns_b="vine-iperf-$$-b"
work="$(mktemp -d)"
pids=()
failed=1
cleanup() {
    local p
    { exec 7>&- 8>&-; } 2>/dev/null || true
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    sleep 0.5
    for p in "${pids[@]}"; do
        kill -9 "$p" 2>/dev/null || true
    done
    ip netns del "$ns_a" 2>/dev/null || true
    ip netns del "$ns_b" 2>/dev/null || true
    if [ "$failed" = 1 ]; then
        echo "overlay-iperf: failed; node logs kept in $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$ns_a"
ip netns add "$ns_b"
ip -n "$ns_a" link set lo up
ip -n "$ns_b" link set lo up
ip link add veth-a netns "$ns_a" type veth peer name veth-b netns "$ns_b"
ip -n "$ns_a" addr add 10.0.0.1/24 dev veth-a
ip -n "$ns_b" addr add 10.0.0.2/24 dev veth-b
ip -n "$ns_a" link set veth-a up
ip -n "$ns_b" link set veth-b up

seed() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }
seed_a="$(seed)"; seed_b="$(seed)"
id_a="$("${plain_jvm[@]}" id "$seed_a")"
id_b="$("${plain_jvm[@]}" id "$seed_b")"
allow=(--peer "$id_a=10.42.1.0/24" --peer "$id_b=10.42.2.0/24")

# start_node NAME NS FD SEED ADDRESS PREFIX EXTRA...: the node reads commands from fifo NAME.in (kept
# open on file descriptor FD, which no node inherits: closing it is the node's EOF) and writes answers
# to NAME.out.
start_node() {
    local name="$1" ns="$2" fd="$3" seed="$4" address="$5" prefix="$6"
    shift 6
    rm -f "$work/$name.in" "$work/$name.out"
    mkfifo "$work/$name.in"
    eval "exec $fd<>\"\$work/\$name.in\""
    ip netns exec "$ns" "${jvm[@]}" run --seed "$seed" --tun-address "$address" --prefix "$prefix" \
        --listen /ip4/0.0.0.0/tcp/4001 --mtu "$mtu" "${allow[@]}" "$@" \
        < "$work/$name.in" > "$work/$name.out" 2> "$work/$name.log" 7>&- 8>&- &
    pids+=($!)
    eval "${name}_pid=$!"
}

# ask NAME FD COMMAND: one answer line.
ask() {
    local before
    before="$(wc -l < "$work/$1.out")"
    echo "$3" >&"$2"
    for _ in $(seq 1 100); do
        if [ "$(wc -l < "$work/$1.out")" -gt "$before" ]; then
            sed -n "$((before + 1))p" "$work/$1.out"
            return 0
        fi
        sleep 0.05
    done
    echo "TIMEOUT"
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
    local limit=$(( SECONDS + $1 )) what="$2"
    shift 2
    until "$@"; do
        if [ "$SECONDS" -ge "$limit" ]; then
            echo "overlay-iperf: not within the time limit: $what" >&2
            tail -n 30 "$work"/*.log >&2 || true
            exit 1
        fi
        sleep 0.2
    done
}
ready() { grep -q '^READY ' "$work/$1.out" 2>/dev/null; }
direct() { [ "$(ask a 7 "path $id_b")" = DIRECT ] && [ "$(ask b 8 "path $id_a")" = DIRECT ]; }

stop_nodes() {
    exec 7>&- 8>&-
    local p
    for p in "$a_pid" "$b_pid"; do
        for _ in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
}

# iperf NS_SERVER NS_CLIENT ADDRESS [SECONDS [OMIT [IPERF_OPTION...]]]: bits per second received over
# SECONDS (default $seconds) after the first OMIT seconds (default 1).
iperf() {
    local port=5201 t="${4:-$seconds}" omit="${5:-1}"
    local options=("${@:6}")
    ip netns exec "$1" timeout $((t + omit + 30)) iperf3 -s -1 -p "$port" > /dev/null 2>&1 &
    local server=$!
    pids+=("$server")
    sleep 0.5
    ip netns exec "$2" timeout $((t + omit + 30)) iperf3 -c "$3" -p "$port" -t "$t" -O "$omit" -J \
        --connect-timeout 5000 "${options[@]}" > "$work/iperf.json" || { echo "overlay-iperf: iperf3 to $3 failed" >&2; cat "$work/iperf.json" >&2; exit 1; }
    wait "$server" 2>/dev/null || true
    jq -r '.end.sum_received.bits_per_second' "$work/iperf.json"
}

# rtt NS ADDRESS: "min/avg" round-trip time in ms of 50 pings.
rtt() {
    ip netns exec "$1" ping -q -c 50 -i 0.02 -W 2 "$2" | sed -n 's|^rtt .* = \([^/]*\)/\([^/]*\)/.*|\1/\2|p'
}

# cpu_ticks PID...: user + system clock ticks used so far by these processes.
cpu_ticks() {
    local p total=0
    for p in "$@"; do
        total=$(( total + $(awk '{ print $14 + $15 }' "/proc/$p/stat") ))
    done
    echo "$total"
}

gbps() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1e9 }'; }

# median VALUE...: the middle value (the mean of the two middle ones for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.0f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-6s %-8s %12s %12s %7s %12s %12s %9s %12s\n' security offload overlay_Gbps veth_Gbps ratio overlay_ms veth_ms node_cpu Gbit_per_cpu \
    > "$work/table"
verdict="not measured"
for security in $securities; do
    for offload in $offloads; do
        flag=()
        [ "$offload" = on ] && flag=(--offload)
        ip netns exec "$ns_a" ethtool -K veth-a tso "$offload" gso "$offload" gro "$offload" 2>/dev/null || true
        ip netns exec "$ns_b" ethtool -K veth-b tso "$offload" gso "$offload" gro "$offload" 2>/dev/null || true
        start_node a "$ns_a" 7 "$seed_a" 10.42.1.1/16 10.42.1.0/24 --security "$security" "${flag[@]}" \
            --bootstrap "/ip4/10.0.0.2/tcp/4001/p2p/$id_b"
        start_node b "$ns_b" 8 "$seed_b" 10.42.2.1/16 10.42.2.0/24 --security "$security" "${flag[@]}" \
            --bootstrap "/ip4/10.0.0.1/tcp/4001/p2p/$id_a"
        wait_for 60 "node a ready" ready a
        wait_for 60 "node b ready" ready b
        wait_for 30 "direct session" direct
        if [ "$warmup" -gt 0 ]; then
            echo "overlay-iperf: $security, offload $offload: warming the nodes up (${warmup} s through the overlay)" >&2
            iperf "$ns_b" "$ns_a" 10.42.2.1 "$warmup" 0 > /dev/null
        fi
        echo "overlay-iperf: $security, offload $offload: measuring ($rounds rounds of ${seconds} s through the overlay, then over the veth)" >&2
        overlays=() veths=() ticks=0
        for _ in $(seq "$rounds"); do
            before="$(cpu_ticks "$a_pid" "$b_pid")"
            overlays+=("$(iperf "$ns_b" "$ns_a" 10.42.2.1 "$seconds" 1 ${bitrate:+-b "$bitrate"})")
            ticks=$(( ticks + $(cpu_ticks "$a_pid" "$b_pid") - before ))
            veths+=("$(iperf "$ns_b" "$ns_a" 10.0.0.2)")
        done
        overlay_bps="$(median "${overlays[@]}")"
        veth_bps="$(median "${veths[@]}")"
        # CPU seconds both node JVMs spent per second of the overlay runs (2.0 = two cores busy); a run
        # lasts its omitted second plus $seconds.
        node_cpu="$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v s="$(( (seconds + 1) * rounds ))" \
            'BEGIN { printf "%.2f", t / hz / s }')"
        runs_json="$(printf '%s\n' "${overlays[@]}" | jq -cs .)"
        veth_runs_json="$(printf '%s\n' "${veths[@]}" | jq -cs .)"
        # After the iperf runs, so that the nodes' code is compiled (a cold JVM adds milliseconds).
        overlay_rtt="$(rtt "$ns_a" 10.42.2.1)"
        veth_rtt="$(rtt "$ns_a" 10.0.0.2)"
        overlay_ms="${overlay_rtt#*/}" overlay_min="${overlay_rtt%/*}" veth_ms="${veth_rtt#*/}" veth_min="${veth_rtt%/*}"
        counters="$(ask a 7 diag | jq -c '.counters | {packets_sent, bytes_sent, relay_usage, drops_backpressure, drops_oversized, drops_tun_write}')"
        stop_nodes
        ratio="$(awk -v o="$overlay_bps" -v r="$veth_bps" 'BEGIN { printf "%.3f", o / r }')"
        per_cpu="$(awk -v o="$overlay_bps" -v c="$node_cpu" 'BEGIN { if (c + 0 > 0) printf "%.3f", o / 1e9 / c; else print "null" }')"
        printf '%-6s %-8s %12s %12s %7s %12s %12s %9s %12s\n' "$security" "$offload" "$(gbps "$overlay_bps")" "$(gbps "$veth_bps")" \
            "$ratio" "${overlay_ms:-?}" "${veth_ms:-?}" "$node_cpu" "$per_cpu" >> "$work/table"
        echo "JSON {\"benchmark\":\"overlay-iperf\",\"security\":\"$security\",\"offload\":\"$offload\",\"mtu\":$mtu,\"seconds\":$seconds,\"warmup_seconds\":$warmup,\"rounds\":$rounds,\"overlay_bps\":$overlay_bps,\"veth_bps\":$veth_bps,\"overlay_bps_runs\":$runs_json,\"veth_bps_runs\":$veth_runs_json,\"ratio\":$ratio,\"overlay_rtt_ms\":${overlay_ms:-null},\"overlay_rtt_min_ms\":${overlay_min:-null},\"veth_rtt_ms\":${veth_ms:-null},\"veth_rtt_min_ms\":${veth_min:-null},\"node_cpu\":$node_cpu,\"overlay_gbit_per_cpu_second\":$per_cpu,\"alpha_counters\":$counters}" >> "$work/json"
        if [ "$security" = tls ] && [ "$offload" = on ]; then
            verdict="$(awk -v r="$ratio" 'BEGIN { print (r >= 0.2 ? "met" : "missed") }') (ratio $ratio, target >= 0.200)"
        fi
    done
done

cat "$work/table"
cat "$work/json"
echo "overlay_ms, veth_ms: average ping round trip over 50 pings (JSON: also the minimum)"
echo "overlay_Gbps, veth_Gbps: medians of $rounds rounds, after a ${warmup} s warm-up of the nodes (JSON: every run)"
echo "node_cpu: CPU seconds per second used by both node JVMs during the overlay iperf3 runs ($(nproc) cores here)"
echo "Gbit_per_cpu: overlay Gbit/s over node_cpu, the overlay's bits per CPU-second of both nodes (steadier than Gbit/s on a busy machine)"
echo "target (tls, offloads: overlay >= 1/5 of the raw veth): $verdict"
failed=0

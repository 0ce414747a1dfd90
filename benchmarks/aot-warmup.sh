#!/usr/bin/env bash
# What the cli's AOT cache (scripts/vine-aot.sh) does for fresh processes: every run starts a new
# `vine perf server` and a new `vine perf client` on loopback and moves --bytes up then --bytes down,
# once with the AOT cache and once without, alternating which goes first, --runs times per security
# protocol. Prints medians of the throughput the client reports, of the client's wall time (JVM start
# to exit) and of the CPU seconds both processes used, and the ratios with / without the cache; then
# the wall time of `vine --version`. CPU seconds hold up better than Gbit/s on a shared machine.
#
#   benchmarks/aot-warmup.sh [--bytes N] [--runs N] [--security "noise tls"]
#
# Trains the cache first when it is missing or stale. Every process it starts is stopped on exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/find-java.sh
. "$root/scripts/find-java.sh"
# shellcheck source=../scripts/vine-aot.sh
. "$root/scripts/vine-aot.sh"

bytes=1073741824
runs=5
securities="noise tls"
while [ $# -gt 0 ]; do
    case "$1" in
        --bytes) bytes="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --security) securities="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "aot-warmup: unknown argument: $1" >&2; exit 2 ;;
    esac
done
for v in bytes runs; do
    if ! [[ "${!v}" =~ ^[0-9]+$ ]] || [ "${!v}" -lt 1 ]; then
        echo "aot-warmup: --$v: ${!v} (expected: a whole number > 0)" >&2
        exit 2
    fi
done
log() { echo "aot-warmup: $*" >&2; }

java="$(vine_find_java)" || { log "no JDK 25 or newer found (set VINE_JAVA_HOME)"; exit 1; }
[ -f "$root/cli/target/vine.jar" ] || { log "building the cli..."; (cd "$root" && mvn -q -B -DskipTests -pl cli -am package >&2); }
if ! vine_aot_usable "$java" "$root"; then
    log "training the AOT cache..."
    vine_aot_train "$java" "$root" || { log "training failed: see $vine_aot_log"; exit 1; }
fi
vine_aot_commands "$java" "$root" # vine_aot_cmd and vine_plain_cmd

work="$(mktemp -d "${TMPDIR:-/tmp}/aot-warmup.XXXXXX")"
server=""
cleanup() { # one_run runs in a subshell: the pid of a server it left running is in its pid file
    local f
    for f in "$work"/*.pid; do
        [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # user + system clock ticks of a live process
hz="$(getconf CLK_TCK)"
timeout_s=$(( 60 + 2 * bytes / 20000000 ))

# one_run <aot|plain> <security>: prints "<Gbit/s> <client wall s> <cpu s of both>"
one_run() {
    local -n cmd="vine_${1}_cmd"
    local i addr="" start end server_ticks out file
    file="$(mktemp "$work/server.XXXXXX")" # new and empty before the server starts (one_run runs in a subshell)
    "${cmd[@]}" perf server --listen /ip4/127.0.0.1/tcp/0 --security "$2" > "$file.out" 2> "$file.err" &
    server=$!
    echo "$server" > "$file.pid"
    for i in $(seq 1 300); do
        [ -s "$file.out" ] && { addr="$(head -n 1 "$file.out")"; break; }
        kill -0 "$server" 2>/dev/null || break
        sleep 0.1
    done
    if [ -n "$addr" ]; then
        start="$(date +%s.%N)"
        out="$( { /usr/bin/time -f 'CPU %U %S' timeout -k 5 "$timeout_s" "${cmd[@]}" perf client --server "$addr" --security "$2" \
            --upload-bytes "$bytes" --download-bytes "$bytes" --format text; } 2>&1)" || { log "client failed: $out"; addr=""; }
        end="$(date +%s.%N)"
        server_ticks="$(ticks "$server" 2>/dev/null || echo 0)"
    else
        log "the server printed no address: $(tail -n 3 "$file.err")"
    fi
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -f "$file.pid"
    server=""
    [ -n "$addr" ] || return 1
    echo "$out" | awk -v s="$start" -v e="$end" -v st="$server_ticks" -v hz="$hz" '
        /^total:/ { g = $(NF-1) } /^CPU / { c = $2 + $3 }
        END { if (g == "") exit 1; printf "%s %.3f %.3f\n", g, e - s, c + st / hz }'
}

median() { tr ' ' '\n' | awk 'NF' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit }
    print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }

declare -A gbit wall cpu
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
loads=()
for r in $(seq 1 "$runs"); do
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
    for sec in $securities; do
        order="aot plain"
        [ $(( r % 2 )) = 0 ] && order="plain aot"
        for mode in $order; do
            if res="$(one_run "$mode" "$sec")"; then
                set -- $res
                gbit[$sec.$mode]+=" $1"; wall[$sec.$mode]+=" $2"; cpu[$sec.$mode]+=" $3"
                log "run $r $sec $mode: $1 Gbit/s, client $2 s, cpu $3 s"
            else
                log "run $r $sec $mode failed"
            fi
        done
    done
done

version_times() { # <aot|plain>
    local -n cmd="vine_${1}_cmd"
    local i s e all=""
    for i in 1 2 3 4 5; do
        s="$(date +%s.%N)"; "${cmd[@]}" --version > /dev/null; e="$(date +%s.%N)"
        all+=" $(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }')"
    done
    echo "$all" | median
}
v_aot="$(version_times aot)"; v_plain="$(version_times plain)"

echo
echo "Fresh vine perf server + client per run, $started, $(nproc) cores; $bytes bytes up then down; $runs runs each, medians"
echo "1-minute load average at the start of each round: ${loads[*]}"
echo
printf '| %-8s | %-8s | %9s | %14s | %14s | %-30s |\n' security aot Gbit/s "client wall s" "cpu s (both)" "Gbit/s, each run"
printf '|%s|%s|%s|%s|%s|%s|\n' "----------" "----------" "----------:" "---------------:" "---------------:" "--------------------------------"
for sec in $securities; do
    for mode in aot plain; do
        printf '| %-8s | %-8s | %9s | %14s | %14s | %-30s |\n' "$sec" "$([ "$mode" = aot ] && echo cache || echo none)" \
            "$(echo "${gbit[$sec.$mode]:-}" | median)" "$(echo "${wall[$sec.$mode]:-}" | median)" \
            "$(echo "${cpu[$sec.$mode]:-}" | median)" "$(echo ${gbit[$sec.$mode]:-})"
    done
done
echo
for sec in $securities; do
    echo "$sec, with the cache / without: Gbit/s $(ratio "$(echo "${gbit[$sec.aot]:-}" | median)" "$(echo "${gbit[$sec.plain]:-}" | median)")," \
        "client wall time $(ratio "$(echo "${wall[$sec.aot]:-}" | median)" "$(echo "${wall[$sec.plain]:-}" | median)")," \
        "cpu seconds $(ratio "$(echo "${cpu[$sec.aot]:-}" | median)" "$(echo "${cpu[$sec.plain]:-}" | median)")"
done
echo "vine --version wall time, median of 5: $v_aot s with the cache, $v_plain s without ($(ratio "$v_aot" "$v_plain"))"

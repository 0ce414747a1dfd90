#!/usr/bin/env bash
# The four-machine showcase on one Linux machine: alpha, beta, gamma and relay each in its own
# network namespace, each running the real `vine up` with a real TUN device, configured from the
# committed alpha/beta/gamma/relay.toml (fresh keys, namespace addresses put in).
#
#   public segment 10.201.0.0/24 (a bridge): relay .1, alpha .11, beta .12, gamma's NAT router .3
#   gamma 10.201.3.2 behind the NAT router (masquerade, unsolicited inbound dropped)
#   beta's firewall takes no connection from gamma's network (unsolicited inbound from .3 dropped)
#   alpha's firewall drops everything from and to gamma's network
#
# Stories, each shown with vine peers / routes / sessions:
#   1. alpha reaches beta directly.
#   2. gamma reaches beta after signaling-assisted setup: first through the relay, then DCUtR over
#      the relayed connection opens a direct path through gamma's NAT and beta's firewall.
#   3. gamma reaches alpha through the relay: no direct path can form.
#   4. the alpha-beta path is cut (iptables in alpha's namespace): alpha falls back to the relay, the
#      route stays, relay_usage and fallback_transitions increase, traffic flows on.
#   5. the path returns: the session is promoted back to a direct path.
# Needs root, ip, iptables, jq, a JDK 25. Removes its namespaces and stops its nodes on exit.
# Run from anywhere: sudo examples/multi-pc/showcase.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
vine="$here/../../vine"
[ "$(id -u)" = 0 ] || { echo "showcase: needs root (network namespaces, TUN devices)" >&2; exit 1; }
for tool in ip iptables jq ping; do
    command -v "$tool" >/dev/null || { echo "showcase: needs $tool" >&2; exit 1; }
done

id="vsc$(printf '%04x' $((RANDOM % 65536)))"
work="$(mktemp -d -t vine-showcase.XXXXXX)"
nodes=(relay alpha beta gamma)
declare -A ns=([pub]="$id-pub" [natg]="$id-natg" [relay]="$id-relay" [alpha]="$id-alpha" [beta]="$id-beta" [gamma]="$id-gamma")
declare -A underlay=([relay]=10.201.0.1 [alpha]=10.201.0.11 [beta]=10.201.0.12 [gamma]=10.201.3.2)
declare -A overlay=([relay]=10.42.254.1 [alpha]=10.42.0.1 [beta]=10.42.1.1 [gamma]=10.42.2.1)
declare -A pid id_of
created=()

cleanup() {
    local rc=$?
    set +e
    if [ "$rc" != 0 ]; then
        for n in "${nodes[@]}"; do
            [ -f "$work/$n/vine.log" ] && { echo "--- $n: last lines of vine.log"; tail -n 60 "$work/$n/vine.log"; } >&2
        done
    fi
    for n in "${nodes[@]}"; do
        if [ -f "$work/$n/vine.pid" ]; then
            ip netns exec "${ns[$n]}" "$vine" down -c "$work/$n/vine.toml" >/dev/null 2>&1
        fi
    done
    for n in "${created[@]}"; do ip netns del "$n" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n=== %s\n' "$*"; }
in_ns() { local n="$1"; shift; ip netns exec "${ns[$n]}" "$@"; }
vine_in() { local n="$1"; shift; in_ns "$n" "$vine" "$@" -c "$work/$n/vine.toml"; }
show() {
    local n="$1"
    echo "--- $n: vine peers"; vine_in "$n" peers
    echo "--- $n: vine routes"; vine_in "$n" routes
    echo "--- $n: vine sessions"; vine_in "$n" sessions
}
path_of() { vine_in "$1" sessions --format json | jq -r --arg p "$2" '.[] | select(.peerId == $p) | .path'; }
via_of() { vine_in "$1" sessions --format json | jq -r --arg p "$2" '.[] | select(.peerId == $p) | .via // "-"'; }
counter() { vine_in "$1" counters --format json | jq -r --arg k "$2" '.[$k]'; }
route_of() { vine_in "$1" routes --format json | jq -c --arg p "$2" '.[] | select(.prefix == $p) | {owner, epoch}'; }
wait_path() { # node peer-name path-regex seconds
    local deadline=$((SECONDS + $4)) now
    until [[ "$(path_of "$1" "${id_of[$2]}")" =~ ^($3)$ ]]; do
        [ $SECONDS -lt $deadline ] || { echo "FAILED: $1 -> $2 did not become $3 within $4 s" >&2; show "$1" >&2; exit 1; }
        sleep 1
    done
    now="$(path_of "$1" "${id_of[$2]}")"
    if [ "$now" = relay ]; then echo "$1 -> $2: relay via $(via_of "$1" "${id_of[$2]}")"; else echo "$1 -> $2: $now"; fi
}
ping_ok() { in_ns "$1" ping -c 3 -i 0.3 -W 3 "$2" | tail -n 2; }

step "namespaces ($id): a public segment, gamma behind a NAT router"
for n in pub natg relay alpha beta gamma; do
    ip netns add "${ns[$n]}"; created+=("${ns[$n]}")
    ip -n "${ns[$n]}" link set lo up
done
ip -n "${ns[pub]}" link add br0 type bridge
ip -n "${ns[pub]}" link set br0 up
port=0
uplink() { # namespace-key address
    port=$((port + 1))
    ip -n "${ns[pub]}" link add "p$port" type veth peer name wan netns "${ns[$1]}"
    ip -n "${ns[pub]}" link set "p$port" master br0 up
    ip -n "${ns[$1]}" addr add "$2/24" dev wan
    ip -n "${ns[$1]}" link set wan up
}
uplink relay "${underlay[relay]}"
uplink alpha "${underlay[alpha]}"
uplink beta "${underlay[beta]}"
uplink natg 10.201.0.3
ip -n "${ns[natg]}" link add lan type veth peer name eth0 netns "${ns[gamma]}"
ip -n "${ns[natg]}" addr add 10.201.3.1/24 dev lan
ip -n "${ns[natg]}" link set lan up
ip -n "${ns[gamma]}" addr add "${underlay[gamma]}/24" dev eth0
ip -n "${ns[gamma]}" link set eth0 up
ip -n "${ns[gamma]}" route add default via 10.201.3.1
in_ns natg sysctl -qw net.ipv4.ip_forward=1
in_ns natg iptables -t nat -A POSTROUTING -o wan -j MASQUERADE
in_ns natg iptables -A INPUT -i wan -p tcp -m conntrack --ctstate NEW,INVALID -j DROP
in_ns natg iptables -A FORWARD -i wan -m conntrack --ctstate NEW,INVALID -j DROP
# beta: no unsolicited connection from gamma's network (dropped silently: a hole punch can still open it)
in_ns beta iptables -A INPUT -s 10.201.0.3 -p tcp -m conntrack --ctstate NEW,INVALID -j DROP
# alpha: nothing from or to gamma's network
in_ns alpha iptables -A INPUT -s 10.201.0.3 -j DROP
in_ns alpha iptables -A OUTPUT -d 10.201.0.3 -j DROP

# Each node listens on 0.0.0.0:4001 as the examples say; its dials leave from that port
# (SO_REUSEPORT), so the NAT maps the port peers see, which hole punching needs.
step "identities and configs (the committed examples with fresh keys and these addresses)"
declare -A example_id
for n in "${nodes[@]}"; do
    mkdir -m 700 "$work/$n"
    id_of[$n]="$("$vine" identity init --identity-path "$work/$n/vine.key" | sed -n 's/^peer_id=//p')"
    prefix="${overlay[$n]%.1}.0/24"
    example_id[$n]="$(grep -B1 "^prefix = \"$prefix\"" "$here/alpha.toml" | sed -n 's/^peer_id = "\(.*\)"/\1/p')"
    echo "$n: ${id_of[$n]}"
done
for n in "${nodes[@]}"; do
    args=(-e "s#/var/lib/vine/#$work/$n/#g" -e "s#/run/vine/#$work/$n/#g"
          -e "s#203\.0\.113\.10#${underlay[relay]}#g" -e "s#198\.51\.100\.11#${underlay[alpha]}#g"
          -e "s#198\.51\.100\.12#${underlay[beta]}#g")
    for m in "${nodes[@]}"; do args+=(-e "s#${example_id[$m]}#${id_of[$m]}#g"); done
    sed "${args[@]}" "$here/$n.toml" > "$work/$n/vine.toml"
    chmod 600 "$work/$n/vine.toml"
    "$vine" config validate -c "$work/$n/vine.toml" | sed -n '1p;/local prefix/p'
done

step "vine up in each namespace (relay first)"
for n in "${nodes[@]}"; do
    vine_in "$n" up --daemon
done

step "1. alpha reaches beta directly"
wait_path alpha beta direct 60
wait_path beta alpha direct 60
ping_ok alpha "${overlay[beta]}"
show alpha

step "2. gamma reaches beta after signaling-assisted setup (relay first, then DCUtR through gamma's NAT and beta's firewall)"
in_ns gamma ping -c 1 -W 2 "${overlay[beta]}" >/dev/null 2>&1 || true   # the first packet may find no session yet
wait_path gamma beta signaling-assisted 90
wait_path beta gamma signaling-assisted 60
ping_ok gamma "${overlay[beta]}"
[ "$(counter gamma signaling_upgrades)" -ge 1 ] || { echo "FAILED: gamma counted no signaling upgrade" >&2; exit 1; }
echo "gamma: signaling_upgrades $(counter gamma signaling_upgrades)"
show gamma
show beta

step "3. gamma reaches alpha through the relay (alpha's firewall drops gamma's network: no direct path can form)"
in_ns gamma ping -c 1 -W 2 "${overlay[alpha]}" >/dev/null 2>&1 || true
wait_path gamma alpha relay 60
wait_path alpha gamma relay 60
ping_ok gamma "${overlay[alpha]}"
show alpha

step "4. cut alpha-beta (iptables in alpha's namespace; the relay stays reachable)"
route_before="$(route_of alpha 10.42.1.0/24)"
relay_before="$(counter alpha relay_usage)"
fallback_before="$(counter alpha fallback_transitions)"
in_ns alpha iptables -I INPUT -s "${underlay[beta]}" -j DROP
in_ns alpha iptables -I OUTPUT -d "${underlay[beta]}" -j DROP
in_ns alpha ping -c 20 -i 0.5 -W 1 "${overlay[beta]}" >/dev/null 2>&1 &   # traffic during the cut
wait_path alpha beta relay 90
wait "$!" || true
ping_ok alpha "${overlay[beta]}"
route_after="$(route_of alpha 10.42.1.0/24)"
relay_after="$(counter alpha relay_usage)"
fallback_after="$(counter alpha fallback_transitions)"
show alpha
echo "--- alpha: vine counters"; vine_in alpha counters
echo "route to 10.42.1.0/24: before $route_before, after $route_after"
echo "relay_usage: $relay_before -> $relay_after; fallback_transitions: $fallback_before -> $fallback_after"
[ "$route_before" = "$route_after" ] || { echo "FAILED: the route changed" >&2; exit 1; }
[ "$relay_after" -gt "$relay_before" ] || { echo "FAILED: relay_usage did not increase" >&2; exit 1; }
[ "$fallback_after" -gt "$fallback_before" ] || { echo "FAILED: fallback_transitions did not increase" >&2; exit 1; }

step "5. the alpha-beta path returns: promotion back to a direct path (re-dial or hole punch)"
promotions_before="$(counter alpha promotions)"
in_ns alpha iptables -D INPUT -s "${underlay[beta]}" -j DROP
in_ns alpha iptables -D OUTPUT -d "${underlay[beta]}" -j DROP
wait_path alpha beta 'direct|signaling-assisted' 120
ping_ok alpha "${overlay[beta]}"
promotions_after="$(counter alpha promotions)"
echo "promotions: $promotions_before -> $promotions_after; route to 10.42.1.0/24: $(route_of alpha 10.42.1.0/24)"
[ "$promotions_after" -gt "$promotions_before" ] || { echo "FAILED: promotions did not increase" >&2; exit 1; }
[ "$(route_of alpha 10.42.1.0/24)" = "$route_before" ] || { echo "FAILED: the route changed" >&2; exit 1; }
show alpha

step "showcase ok: alpha-beta direct, gamma-beta signaling-assisted, gamma-alpha through the relay, alpha-beta fell back to the relay with its route kept and was promoted back"

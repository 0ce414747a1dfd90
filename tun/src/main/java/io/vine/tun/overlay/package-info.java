/**
 * The overlay runtime: {@link io.vine.tun.overlay.VineNode} built from a
 * {@link io.vine.tun.overlay.VineConfig} binds the IP prefixes of an allowlist of peers to libp2p
 * sessions and moves packets between a {@link io.vine.tun.TunDevice} and them.
 *
 * <p>Protocols: {@code /vine/control/1.0.0} ({@link io.vine.tun.control}) and
 * {@code /vine/packet/1.0.0} ({@link io.vine.tun.session}); relayed paths use circuit relay v2
 * (libp2p/specs {@code relay/circuit-v2.md}). Paths are preferred direct, then signaling-assisted
 * (a direct connection DCUtR, libp2p/specs {@code relay/DCUtR.md}, punched over a relayed one; on
 * unless {@code VineConfig.Builder#signalingUpgrade(false)}), then relayed.
 */
package io.vine.tun.overlay;

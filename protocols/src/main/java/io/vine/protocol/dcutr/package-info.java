/**
 * Direct Connection Upgrade through Relay, libp2p/specs {@code relay/DCUtR.md}
 * ({@code /libp2p/dcutr}): over a relayed connection the two peers exchange CONNECT (their observed
 * and listen addresses) and SYNC, time a simultaneous TCP open with half the measured round trip,
 * and retry up to three times. {@link io.vine.protocol.dcutr.Dcutr} is the protocol; its outcome is
 * published as {@link io.vine.protocol.dcutr.HolePunchSucceeded} or
 * {@link io.vine.protocol.dcutr.HolePunchFailed}, and counted in {@link io.vine.protocol.dcutr.DcutrCounters}.
 *
 * <p>The swarm makes the direct connection the one new streams use (it prefers direct connections
 * to relayed ones). TCP hole punching needs dials from the listening port: give the swarm a
 * {@code TcpTransport} with {@code TcpConfig.withReusePort(true)}.
 *
 * <p>Not implemented: the unilateral upgrade (the inbound peer dialing the other's public addresses
 * before the protocol), QUIC hole punching, closing the relayed connection after a grace period
 * (callers may close it; new streams go direct anyway).
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/relay/DCUtR.md">DCUtR</a>
 */
package io.vine.protocol.dcutr;

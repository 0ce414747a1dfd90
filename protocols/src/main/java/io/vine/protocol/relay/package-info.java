/**
 * Circuit relay v2, libp2p/specs {@code relay/circuit-v2.md}: the hop protocol
 * ({@code /libp2p/circuit/relay/0.2.0/hop}: reservations with vouchers, connections through the
 * relay) served by {@link io.vine.protocol.relay.RelayService} with the limits of a
 * {@link io.vine.protocol.relay.RelayConfig}; the stop protocol ({@code /libp2p/circuit/relay/0.2.0/stop})
 * and the client, {@link io.vine.protocol.relay.RelayTransport}, which dials and listens on
 * {@code /p2p-circuit} addresses like any transport. Reservation vouchers are signed envelopes of
 * libp2p/specs {@code RFC/0002-signed-envelopes.md}. Messages are at most 4 KiB.
 *
 * <p>Not implemented: active relay (dialing a target that holds no reservation), relay v1.
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/relay/circuit-v2.md">circuit relay v2</a>
 */
package io.vine.protocol.relay;

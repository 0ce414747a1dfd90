/**
 * AutoNAT v2, libp2p/specs {@code autonat/autonat-v2.md}: the {@code /libp2p/autonat/2/dial-request}
 * exchange (DialRequest, DialDataRequest/DialDataResponse for the amplification attack prevention,
 * DialResponse with ResponseStatus and DialStatus) and the {@code /libp2p/autonat/2/dial-back}
 * stream (DialBack with the nonce, DialBackResponse). {@link io.vine.protocol.autonat.AutoNat} is the
 * client and the server; the client's verdicts per address ("Implementation Suggestions": several
 * servers must agree, periodic rechecks) land in the peer store and in
 * {@link io.vine.protocol.autonat.ReachabilityChanged} events.
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/autonat/autonat-v2.md">AutoNAT v2 spec</a>
 */
package io.vine.protocol.autonat;

/**
 * multistream-select 1.0: the negotiation that picks the protocol spoken on a connection or stream.
 * Implements libp2p/specs {@code connections/README.md}, section "Protocol Negotiation", and
 * <a href="https://github.com/multiformats/multistream-select">multiformats/multistream-select</a>.
 *
 * <p>Every message is a UTF-8 line ending in {@code '\n'}, prefixed with its length (newline
 * included) as an unsigned varint. Both sides send the header {@value
 * io.vine.swarm.multistream.MultistreamSelect#PROTOCOL_ID}; the dialer then proposes protocols one
 * at a time, and the listener either echoes a proposal (agreed) or answers {@code na}.
 */
package io.vine.swarm.multistream;

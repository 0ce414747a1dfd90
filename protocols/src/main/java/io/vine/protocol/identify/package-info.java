/**
 * The libp2p identify protocol, libp2p/specs {@code identify/README.md}: {@code /ipfs/id/1.0.0}
 * (the listener writes one length-prefixed {@code Identify} message and closes the stream; the
 * dialer reads it) and {@code /ipfs/id/push/1.0.0} (the pusher writes a possibly partial message).
 * {@link io.vine.protocol.identify.Identify} runs on every new connection and stores what it learns
 * in the peer store; {@code signedPeerRecord} is neither sent nor read.
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/identify/README.md">identify spec</a>
 */
package io.vine.protocol.identify;

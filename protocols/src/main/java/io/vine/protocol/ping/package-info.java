/**
 * The libp2p ping protocol, libp2p/specs {@code ping/ping.md}: on {@code /ipfs/ping/1.0.0} the dialer
 * writes 32 random bytes, the listener echoes them, the dialer measures the round trip and may repeat
 * on the same stream; the listener echoes until the dialer closes its side.
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/ping/ping.md">ping spec</a>
 */
package io.vine.protocol.ping;

/**
 * Overlay sessions: the kinds of path a session to a peer may use, in order of preference
 * ({@link io.vine.tun.session.PathKind}), and the framing of the packet protocol
 * {@value io.vine.tun.session.PacketFrameDecoder#PROTOCOL_ID}: one stream per path, each IP packet
 * (or whole offloaded superpacket) prefixed with its length as an unsigned varint, bounded by the MTU
 * or, when both ends announced the offload capability, by the offload maximum.
 */
package io.vine.tun.session;

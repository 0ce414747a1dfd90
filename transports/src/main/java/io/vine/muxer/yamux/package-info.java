/**
 * The yamux stream muxer, {@code /yamux/1.0.0}: libp2p/specs yamux/README.md (a copy of hashicorp/yamux
 * spec.md) — framing, message flow (SYN/ACK/FIN/RST), per-stream flow control with window updates,
 * ping, GoAway, and the ACK backlog of the implementation considerations.
 */
package io.vine.muxer.yamux;

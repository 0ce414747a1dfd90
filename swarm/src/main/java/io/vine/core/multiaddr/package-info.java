/**
 * Multiaddrs: self-describing network addresses such as {@code /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...}.
 * Implements the text and binary forms of libp2p/specs {@code addressing/README.md} and
 * <a href="https://github.com/multiformats/multiaddr">multiformats/multiaddr</a>, with the protocol
 * codes of the multicodec table.
 */
package io.vine.core.multiaddr;

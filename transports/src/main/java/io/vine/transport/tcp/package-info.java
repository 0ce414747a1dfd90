/**
 * The TCP transport: raw TCP connections addressed as {@code /ip4|ip6|dns|dns4|dns6/.../tcp/<port>}
 * (libp2p specs, addressing/README.md; multiaddr protocol table). The swarm upgrades them with a
 * security protocol and a muxer (connections/README.md).
 */
package io.vine.transport.tcp;

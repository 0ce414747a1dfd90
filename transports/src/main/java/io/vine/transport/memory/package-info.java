/**
 * The in-memory transport {@code /memory/<n>} (multiaddr protocol table, code 0x0309), on Netty's
 * local channels: connections between swarms in one process, for tests and embedded nodes.
 */
package io.vine.transport.memory;

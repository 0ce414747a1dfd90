/**
 * Memory at scale: a program that measures what one connection and one stream cost in a vine
 * process (Noise, Yamux, identify and ping over TCP on loopback), in both the dialing and the
 * listening process. Run it through {@code benchmarks/memory-scale.sh}; {@link
 * io.vine.benchmarks.memory.MemoryScale} is the entry point.
 *
 * <p>Method: the client process dials the server process, then measures both processes (heap used
 * after full GC, direct memory, RSS, threads, a class histogram) at four phases: baseline (one
 * control connection), N connections with no application streams, N connections with S open echo
 * streams each, and after closing them all. The per-connection figure is the difference of the
 * first two phases over the connections added; the per-stream figure the difference of the next
 * two over the streams added.
 */
package io.vine.benchmarks.memory;

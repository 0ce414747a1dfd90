/**
 * {@code vine perf server|client}: the libp2p perf protocol ({@link io.vine.protocol.perf.Perf}) on
 * the standard node stack, with the output of the libp2p perf benchmarks (one JSON line per second and
 * a final line) and the environment of the original bandwidth-perf example.
 */
package io.vine.cli.perf;

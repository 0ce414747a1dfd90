/**
 * The libp2p perf protocol, libp2p/specs {@code perf/perf.md} ("Protocol"): on {@code /perf/1.0.0} the
 * client writes the number of bytes it wants back as a big-endian uint64, uploads any number of bytes
 * and half-closes; the server reads until that end of stream, then sends the requested number of
 * bytes and closes. {@link io.vine.protocol.perf.Perf} is both sides; the server refuses requests
 * over {@link io.vine.protocol.perf.PerfConfig#maxDownloadBytes()} (the spec's security
 * considerations: perf lets a client ask for much work, so it is never registered by default).
 *
 * @see <a href="https://github.com/libp2p/specs/blob/master/perf/perf.md">perf spec</a>
 */
package io.vine.protocol.perf;

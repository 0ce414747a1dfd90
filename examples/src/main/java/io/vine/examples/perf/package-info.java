/**
 * The bandwidth-perf example: a swarm composed in code (transport, security, muxer and the perf
 * protocol chosen by flags) that serves or measures {@code /perf/1.0.0}. See
 * {@code examples/bandwidth-perf/README.md}.
 */
package io.vine.examples.perf;

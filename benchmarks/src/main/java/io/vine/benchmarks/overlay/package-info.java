/**
 * The runner of {@code benchmarks/overlay-iperf.sh}: one overlay node ({@code io.vine.tun.overlay.VineNode}
 * with a real TUN device) per JVM, started by the script inside a network namespace.
 */
package io.vine.benchmarks.overlay;

/**
 * The operator's config file ({@code vine.toml}): {@link io.vine.cli.config.ConfigLoader} reads a TOML
 * subset with exact line numbers and refuses, naming {@code file:line: key}, every unknown table or key,
 * wrong type or value, bad peer id or multiaddr, duplicate peer, overlapping prefix, a config writable by
 * group or others and an identity file usable by others; {@link io.vine.cli.config.NodeConfig} maps it onto
 * {@link io.vine.tun.overlay.VineConfig}; {@code vine config validate}.
 */
package io.vine.cli.config;

/**
 * Running a node from its config: {@code vine up} (foreground or {@code --daemon} with a pid file;
 * SIGTERM/SIGINT stop, SIGHUP re-reads the config, SIGUSR1 logs a snapshot), {@code vine down},
 * {@code vine doctor}.
 */
package io.vine.cli.daemon;

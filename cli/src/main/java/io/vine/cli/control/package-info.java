/**
 * The node's control API ({@link io.vine.cli.control.ControlServer}, HTTP with a bearer token, loopback by
 * default) and the commands that ask it: {@code vine status|peers|routes|sessions|counters|snapshot|ping|
 * connect|logs}.
 */
package io.vine.cli.control;

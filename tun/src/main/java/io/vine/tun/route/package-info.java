/**
 * The overlay's route table: which allowlisted peer owns which IP prefix, looked up by longest-prefix
 * match for IPv4 and IPv6, with epochs so that a stale announce or withdraw loses to a newer one.
 * Ownership is a property of the prefix, never of the path a session currently uses.
 */
package io.vine.tun.route;

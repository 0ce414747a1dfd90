/**
 * The insecure plaintext secure channel, {@code /plaintext/2.0.0} (libp2p/specs plaintext/README.md):
 * an exchange of peer ids and public keys with no encryption, for tests and debugging only.
 */
package io.vine.security.plaintext;

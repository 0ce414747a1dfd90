/**
 * The ChaCha20-Poly1305 AEAD of RFC 8439 (sections 2.5 and 2.8) behind one interface, in three
 * implementations: the system's libcrypto through the Foreign Function &amp; Memory API (the Java 22
 * layer of this multi-release jar, in {@code src/main/java22}), the JDK's cipher, and the JDK's
 * ChaCha20 with a Poly1305 on 64-bit multiplies for JVMs whose own Poly1305 is not intrinsified.
 * Used by the Noise record layer.
 */
package io.vine.security.crypto;

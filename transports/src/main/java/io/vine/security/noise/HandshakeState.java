package io.vine.security.noise;

import io.vine.core.HandshakeException;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The Noise {@code HandshakeState} (Noise spec, section 5.3) for the one pattern noise-libp2p uses:
 *
 * <pre>
 * XX:
 *   -&gt; e
 *   &lt;- e, ee, s, es
 *   -&gt; s, se
 * </pre>
 *
 * The three messages alternate starting with the initiator; after the third, {@link #split()}
 * yields the transport cipher states.
 */
final class HandshakeState {
    static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
    static final int MESSAGES = 3;

    private final boolean initiator;
    private final SymmetricState symmetric = new SymmetricState(PROTOCOL_NAME);
    private final X25519.KeyPair localStatic;
    private X25519.KeyPair localEphemeral; // preset only by tests (fixed test vectors)
    private byte[] remoteEphemeral;
    private byte[] remoteStatic;
    private int step;

    HandshakeState(boolean initiator, X25519.KeyPair localStatic, byte[] prologue) {
        this(initiator, localStatic, prologue, null);
    }

    /** With a fixed ephemeral key, for the Noise test vectors only. */
    HandshakeState(boolean initiator, X25519.KeyPair localStatic, byte[] prologue, X25519.KeyPair ephemeral) {
        this.initiator = initiator;
        this.localStatic = localStatic;
        this.localEphemeral = ephemeral;
        symmetric.mixHash(prologue);
    }

    /** Whether the next message is ours to write. */
    boolean isMyTurn() {
        return step < MESSAGES && (step % 2 == 0) == initiator;
    }

    boolean isComplete() {
        return step == MESSAGES;
    }

    /** The index (0, 1, 2) of the next message. */
    int step() {
        return step;
    }

    /** WriteMessage(payload): the next handshake message, carrying {@code payload}. */
    byte[] writeMessage(byte[] payload) throws HandshakeException {
        if (!isMyTurn()) {
            throw new IllegalStateException("not our turn to write (message " + step + ")");
        }
        try {
            byte[] out;
            switch (step) {
                case 0 -> { // -> e
                    out = writeEphemeral();
                }
                case 1 -> { // <- e, ee, s, es
                    byte[] e = writeEphemeral();
                    symmetric.mixKey(X25519.dh(localEphemeral.privateKey(), remoteEphemeral));
                    byte[] s = symmetric.encryptAndHash(localStatic.publicKey());
                    symmetric.mixKey(X25519.dh(localStatic.privateKey(), remoteEphemeral));
                    out = concat(e, s);
                }
                default -> { // -> s, se
                    byte[] s = symmetric.encryptAndHash(localStatic.publicKey());
                    symmetric.mixKey(X25519.dh(localStatic.privateKey(), remoteEphemeral));
                    out = s;
                }
            }
            step++;
            return concat(out, symmetric.encryptAndHash(payload));
        } catch (GeneralSecurityException e) {
            throw new HandshakeException("noise: cannot write handshake message " + (step + 1) + ": " + e.getMessage(), e);
        }
    }

    /**
     * ReadMessage(message): processes the remote's next handshake message.
     *
     * @return the decrypted payload
     * @throws HandshakeException if the message is short, fails authentication, or carries an
     *     invalid key
     */
    byte[] readMessage(byte[] message) throws HandshakeException {
        if (step >= MESSAGES || isMyTurn()) {
            throw new HandshakeException("noise: unexpected handshake message " + (step + 1));
        }
        int sLength = X25519.KEY_LENGTH + CipherState.TAG_LENGTH;
        int min = switch (step) {
            case 0 -> X25519.KEY_LENGTH;
            case 1 -> X25519.KEY_LENGTH + sLength + CipherState.TAG_LENGTH;
            default -> sLength + CipherState.TAG_LENGTH;
        };
        if (message.length < min) {
            throw new HandshakeException("noise: handshake message " + (step + 1) + " is " + message.length
                    + " bytes (expected: >= " + min + ")");
        }
        try {
            int pos = 0;
            switch (step) {
                case 0 -> { // -> e
                    pos = readEphemeral(message);
                }
                case 1 -> { // <- e, ee, s, es
                    pos = readEphemeral(message);
                    symmetric.mixKey(X25519.dh(localEphemeral.privateKey(), remoteEphemeral));
                    remoteStatic = symmetric.decryptAndHash(Arrays.copyOfRange(message, pos, pos + sLength));
                    pos += sLength;
                    symmetric.mixKey(X25519.dh(localEphemeral.privateKey(), remoteStatic));
                }
                default -> { // -> s, se
                    remoteStatic = symmetric.decryptAndHash(Arrays.copyOfRange(message, 0, sLength));
                    pos = sLength;
                    symmetric.mixKey(X25519.dh(localEphemeral.privateKey(), remoteStatic));
                }
            }
            byte[] payload = symmetric.decryptAndHash(Arrays.copyOfRange(message, pos, message.length));
            step++;
            return payload;
        } catch (GeneralSecurityException e) {
            throw new HandshakeException("noise: invalid handshake message " + (step + 1) + ": " + e.getMessage(), e);
        }
    }

    /** The remote's static DH public key, once received. */
    byte[] remoteStatic() {
        return remoteStatic;
    }

    byte[] localStaticPublic() {
        return localStatic.publicKey();
    }

    byte[] handshakeHash() {
        return symmetric.handshakeHash();
    }

    /** The transport cipher states as {send, receive} for this side. */
    CipherState[] split() {
        if (!isComplete()) {
            throw new IllegalStateException("handshake incomplete (next message " + (step + 1) + ")");
        }
        CipherState[] c = symmetric.split();
        return initiator ? c : new CipherState[] {c[1], c[0]};
    }

    /** Frees the handshake's cipher; the state is unusable afterwards. Idempotent. */
    void close() {
        symmetric.close();
    }

    private byte[] writeEphemeral() {
        if (localEphemeral == null) {
            localEphemeral = X25519.generate();
        }
        symmetric.mixHash(localEphemeral.publicKey());
        return localEphemeral.publicKey();
    }

    private int readEphemeral(byte[] message) {
        remoteEphemeral = Arrays.copyOf(message, X25519.KEY_LENGTH);
        symmetric.mixHash(remoteEphemeral);
        return X25519.KEY_LENGTH;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

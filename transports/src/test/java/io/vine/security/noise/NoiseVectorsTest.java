package io.vine.security.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Our Noise_XX state machine against the cacophony test vector (fixed static and ephemeral keys). */
class NoiseVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void xxVectorMatchesByteForByte() throws Exception {
        Properties v = new Properties();
        try (InputStream in = getClass().getResourceAsStream("noise-xx-25519-chachapoly-sha256.properties")) {
            v.load(in);
        }
        assertThat(v.getProperty("protocol_name")).isEqualTo(HandshakeState.PROTOCOL_NAME);
        byte[] prologue = hex(v, "prologue");
        HandshakeState init = new HandshakeState(true, X25519.fromPrivate(hex(v, "init_static")), prologue,
                X25519.fromPrivate(hex(v, "init_ephemeral")));
        HandshakeState resp = new HandshakeState(false, X25519.fromPrivate(hex(v, "resp_static")), prologue,
                X25519.fromPrivate(hex(v, "resp_ephemeral")));

        int count = Integer.parseInt(v.getProperty("messages"));
        for (int i = 0; i < HandshakeState.MESSAGES; i++) {
            HandshakeState writer = i % 2 == 0 ? init : resp;
            HandshakeState reader = i % 2 == 0 ? resp : init;
            byte[] payload = hex(v, "message." + i + ".payload");
            byte[] message = writer.writeMessage(payload);
            assertThat(HEX.formatHex(message)).as("handshake message %d", i)
                    .isEqualTo(v.getProperty("message." + i + ".ciphertext"));
            assertThat(reader.readMessage(message)).isEqualTo(payload);
        }
        assertThat(init.isComplete()).isTrue();
        assertThat(resp.isComplete()).isTrue();
        assertThat(HEX.formatHex(init.handshakeHash())).isEqualTo(v.getProperty("handshake_hash"));
        assertThat(resp.handshakeHash()).isEqualTo(init.handshakeHash());
        assertThat(init.remoteStatic()).isEqualTo(resp.localStaticPublic());
        assertThat(resp.remoteStatic()).isEqualTo(init.localStaticPublic());

        CipherState[] i = init.split();
        CipherState[] r = resp.split();
        for (int n = HandshakeState.MESSAGES; n < count; n++) {
            boolean fromInitiator = n % 2 == 0;
            CipherState send = fromInitiator ? i[0] : r[0];
            CipherState receive = fromInitiator ? r[1] : i[1];
            byte[] payload = hex(v, "message." + n + ".payload");
            ByteBuffer sealed = ByteBuffer.allocate(payload.length + CipherState.TAG_LENGTH);
            send.encrypt(ByteBuffer.wrap(payload), sealed);
            assertThat(HEX.formatHex(sealed.array())).as("transport message %d", n)
                    .isEqualTo(v.getProperty("message." + n + ".ciphertext"));
            ByteBuffer opened = ByteBuffer.allocate(payload.length);
            receive.decrypt(sealed.flip(), opened);
            assertThat(opened.array()).isEqualTo(payload);
        }
    }

    @Test
    void x25519MatchesRfc7748() throws Exception {
        // RFC 7748, section 6.1: Alice's and Bob's key pairs and their shared secret
        X25519.KeyPair alice = X25519.fromPrivate(HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        X25519.KeyPair bob = X25519.fromPrivate(HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        assertThat(HEX.formatHex(alice.publicKey())).isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        assertThat(HEX.formatHex(bob.publicKey())).isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertThat(HEX.formatHex(X25519.dh(alice.privateKey(), bob.publicKey()))).isEqualTo(shared);
        assertThat(HEX.formatHex(X25519.dh(bob.privateKey(), alice.publicKey()))).isEqualTo(shared);
    }

    @Test
    void generatedKeysAgree() throws Exception {
        X25519.KeyPair a = X25519.generate();
        X25519.KeyPair b = X25519.generate();
        assertThat(a.publicKey()).hasSize(32);
        assertThat(X25519.dh(a.privateKey(), b.publicKey())).isEqualTo(X25519.dh(b.privateKey(), a.publicKey()));
    }

    private static byte[] hex(Properties v, String key) {
        return HEX.parseHex(v.getProperty(key));
    }
}

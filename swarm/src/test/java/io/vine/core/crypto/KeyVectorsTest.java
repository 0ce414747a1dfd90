package io.vine.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.vine.core.peer.PeerId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The key test vectors of libp2p/specs peer-ids/peer-ids.md (resource key-vectors.properties). */
class KeyVectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    static final Properties VECTORS = load();

    private static Properties load() {
        try (InputStream in = KeyVectorsTest.class.getResourceAsStream("key-vectors.properties")) {
            Properties p = new Properties();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] bytes(String name) {
        String hex = VECTORS.getProperty(name);
        assertThat(hex).as(name).isNotNull();
        return HEX.parseHex(hex);
    }

    @ParameterizedTest
    @CsvSource({"ed25519, ED25519", "secp256k1, SECP256K1", "ecdsa, ECDSA", "rsa, RSA"})
    void privateKeyYieldsThePublicKeyAndRoundTrips(String name, KeyType type) {
        PrivKey priv = Keys.unmarshalPrivateKey(bytes(name + ".private"));
        assertThat(priv.type()).isEqualTo(type);
        assertThat(HEX.formatHex(priv.publicKey().marshal())).isEqualTo(VECTORS.getProperty(name + ".public"));
        assertThat(HEX.formatHex(priv.marshal())).isEqualTo(VECTORS.getProperty(name + ".private"));
        assertThat(Keys.unmarshalPrivateKey(priv.marshal()).publicKey()).isEqualTo(priv.publicKey());
    }

    @ParameterizedTest
    @CsvSource({"ed25519, ED25519", "secp256k1, SECP256K1", "ecdsa, ECDSA", "rsa, RSA"})
    void publicKeyRoundTripsAndGivesThePeerId(String name, KeyType type) {
        PubKey pub = Keys.unmarshalPublicKey(bytes(name + ".public"));
        assertThat(pub.type()).isEqualTo(type);
        assertThat(HEX.formatHex(pub.marshal())).isEqualTo(VECTORS.getProperty(name + ".public"));
        PeerId id = PeerId.fromPublicKey(pub);
        assertThat(id.toBase58()).isEqualTo(VECTORS.getProperty(name + ".peerid"));
        assertThat(id.toCid()).isEqualTo(VECTORS.getProperty(name + ".cid"));
        assertThat(PeerId.parse(VECTORS.getProperty(name + ".cid"))).isEqualTo(id);
        assertThat(PeerId.parse(VECTORS.getProperty(name + ".peerid"))).isEqualTo(id);
        assertThat(id.matches(pub)).isTrue();
        boolean inlined = pub.marshal().length <= PeerId.MAX_INLINE_KEY_BYTES;
        assertThat(id.extractPublicKey().isPresent()).isEqualTo(inlined);
        id.extractPublicKey().ifPresent(k -> assertThat(k).isEqualTo(pub));
    }

    @ParameterizedTest
    @CsvSource({"ed25519", "secp256k1", "ecdsa", "rsa"})
    void vectorKeysSignAndVerify(String name) {
        PrivKey priv = Keys.unmarshalPrivateKey(bytes(name + ".private"));
        PubKey pub = Keys.unmarshalPublicKey(bytes(name + ".public"));
        byte[] data = "libp2p test vector".getBytes(StandardCharsets.UTF_8);
        byte[] sig = priv.sign(data);
        assertThat(pub.verify(data, sig)).isTrue();
        assertThat(pub.verify("other data".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
    }
}

package io.vine.core.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.crypto.PubKey;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PeerIdTest {
    private static final HexFormat HEX = HexFormat.of();

    // libp2p/specs peer-ids/peer-ids.md, "Test vectors" (Ed25519) and "String representation".
    private static final String ED25519_PUBLIC =
            "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

    @Test
    void ed25519PeerIdIsIdentityMultihashOfTheEncodedKey() {
        PubKey key = Keys.unmarshalPublicKey(HEX.parseHex(ED25519_PUBLIC));
        PeerId id = PeerId.fromPublicKey(key);
        assertThat(HEX.formatHex(id.toBytes())).isEqualTo("0024" + ED25519_PUBLIC);
        assertThat(id.toBase58()).startsWith("12D3KooW");
        assertThat(PeerId.parse(id.toBase58())).isEqualTo(id);
        assertThat(PeerId.parse(id.toCid())).isEqualTo(id);
        assertThat(id.toCid()).startsWith("bafzaa");
        assertThat(id.extractPublicKey()).contains(key);
        assertThat(id.matches(key)).isTrue();
        assertThat(id.matches(Keys.generateEd25519().publicKey())).isFalse();
    }

    @Test
    void specExamplesParse() {
        PeerId sha = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
        assertThat(sha.toBase58()).isEqualTo("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
        assertThat(sha.extractPublicKey()).isEmpty();
        PeerId cid = PeerId.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
        assertThat(cid.toCid()).isEqualTo("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
        assertThat(cid).isEqualTo(sha);
        PeerId ed = PeerId.parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
        assertThat(ed.toString()).isEqualTo("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
        assertThat(ed.extractPublicKey()).isPresent();
    }

    @Test
    void signVerifyRoundTrip() {
        PrivKey k = Keys.generateEd25519();
        byte[] sig = k.sign("hello".getBytes());
        assertThat(k.publicKey().verify("hello".getBytes(), sig)).isTrue();
        sig[3] ^= 1;
        assertThat(k.publicKey().verify("hello".getBytes(), sig)).isFalse();
        assertThat(Keys.unmarshalPrivateKey(k.marshal()).publicKey()).isEqualTo(k.publicKey());
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> PeerId.parse("xyz")).isInstanceOf(InvalidPeerIdException.class);
        assertThatThrownBy(() -> PeerId.parse("Qm0OIl")).isInstanceOf(InvalidPeerIdException.class);
    }
}

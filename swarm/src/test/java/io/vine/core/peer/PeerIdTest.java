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

    @Test
    void fromBytesValidatesTheMultihash() {
        byte[] good = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N").toBytes();
        assertThat(PeerId.fromBytes(good).toBytes()).isEqualTo(good);
        for (int n = 0; n < good.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(good, n);
            assertThatThrownBy(() -> PeerId.fromBytes(cut)).isInstanceOf(InvalidPeerIdException.class);
        }
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> PeerId.fromBytes(longer)).isInstanceOf(InvalidPeerIdException.class);
        byte[] sha1 = good.clone();
        sha1[0] = 0x11;
        assertThatThrownBy(() -> PeerId.fromBytes(sha1))
                .isInstanceOf(InvalidPeerIdException.class).hasMessageContaining("0x11");
        byte[] bigIdentity = new byte[45];
        bigIdentity[1] = 43;
        assertThatThrownBy(() -> PeerId.fromBytes(bigIdentity))
                .isInstanceOf(InvalidPeerIdException.class).hasMessageContaining("expected: <= 42");
    }

    @Test
    void textFormsAndInvalidText() {
        PeerId id = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
        assertThat(PeerId.parse("B" + id.toCid().substring(1).toUpperCase(java.util.Locale.ROOT))).isEqualTo(id);
        byte[] cid = new byte[id.toBytes().length + 2];
        cid[0] = 1;
        cid[1] = 0x72;
        System.arraycopy(id.toBytes(), 0, cid, 2, cid.length - 2);
        assertThat(PeerId.parse("z" + io.vine.core.multiformats.Base58.encode(cid))).isEqualTo(id);
        cid[1] = 0x55; // raw codec
        String raw = "b" + io.vine.core.multiformats.Base32.encode(cid);
        assertThatThrownBy(() -> PeerId.parse(raw)).isInstanceOf(InvalidPeerIdException.class)
                .hasMessageContaining("0x55");
        cid[1] = 0x72;
        cid[0] = 0;
        String v0 = "b" + io.vine.core.multiformats.Base32.encode(cid);
        assertThatThrownBy(() -> PeerId.parse(v0)).isInstanceOf(InvalidPeerIdException.class)
                .hasMessageContaining("CIDv1");
        String valid = id.toCid();
        for (String bad : new String[] {"", "Q", "Qm", "12D3KooW0", valid.substring(0, valid.length() - 1),
                "f" + valid.substring(1), "bafz" + "a".repeat(200), "B" + valid.substring(1),
                id.toBase58() + "1"}) {
            assertThatThrownBy(() -> PeerId.parse(bad)).as(bad).isInstanceOf(InvalidPeerIdException.class);
        }
    }

    @Test
    void equalityAndOrderFollowTheBytes() {
        PeerId a = PeerId.fromBytes(new byte[] {0, 1, 1});
        PeerId b = PeerId.fromBytes(new byte[] {0, 1, (byte) 0x80});
        assertThat(a).isEqualTo(PeerId.fromBytes(new byte[] {0, 1, 1})).hasSameHashCodeAs(PeerId.fromBytes(new byte[] {0, 1, 1}));
        assertThat(a).isNotEqualTo(b);
        assertThat(a.compareTo(b)).isNegative();
        assertThat(b.compareTo(a)).isPositive();
        assertThat(a.extractPublicKey()).isEmpty();
        byte[] bytes = a.toBytes();
        bytes[2] = 9;
        assertThat(a.toBytes()[2]).isEqualTo((byte) 1);
    }
}

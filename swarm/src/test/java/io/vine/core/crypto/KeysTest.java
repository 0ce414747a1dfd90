package io.vine.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeysTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] DATA = "a message to sign".getBytes(StandardCharsets.UTF_8);
    private static final Map<KeyType, PrivKey> KEYS = new EnumMap<>(KeyType.class);

    private static synchronized PrivKey key(KeyType type) {
        return KEYS.computeIfAbsent(type, Keys::generate);
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void generatedKeysSignVerifyAndRoundTrip(KeyType type) {
        PrivKey priv = key(type);
        assertThat(priv.type()).isEqualTo(type);
        byte[] sig = priv.sign(DATA);
        assertThat(priv.publicKey().verify(DATA, sig)).isTrue();

        PrivKey again = Keys.unmarshalPrivateKey(priv.marshal());
        assertThat(again.publicKey()).isEqualTo(priv.publicKey());
        assertThat(again.marshal()).isEqualTo(priv.marshal());
        assertThat(again.publicKey().verify(DATA, again.sign(DATA))).isTrue();

        PubKey pub = Keys.unmarshalPublicKey(priv.publicKey().marshal());
        assertThat(pub).isEqualTo(priv.publicKey()).hasSameHashCodeAs(priv.publicKey());
        assertThat(pub.verify(DATA, sig)).isTrue();
        assertThat(pub.raw()).isEqualTo(priv.publicKey().raw());
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void tamperedSignatureOrDataFails(KeyType type) {
        PrivKey priv = key(type);
        byte[] sig = priv.sign(DATA);
        for (int i = 0; i < sig.length; i += Math.max(1, sig.length / 16)) {
            byte[] bad = sig.clone();
            bad[i] ^= 0x01;
            assertThat(priv.publicKey().verify(DATA, bad)).as("bit flipped at %d", i).isFalse();
        }
        byte[] otherData = DATA.clone();
        otherData[0] ^= 1;
        assertThat(priv.publicKey().verify(otherData, sig)).isFalse();
        assertThat(priv.publicKey().verify(DATA, Arrays.copyOf(sig, sig.length - 1))).isFalse();
        assertThat(priv.publicKey().verify(DATA, Arrays.copyOf(sig, sig.length + 1))).isFalse();
        assertThat(priv.publicKey().verify(DATA, new byte[0])).isFalse();
        assertThat(priv.publicKey().verify(DATA, new byte[100_000])).isFalse();
        assertThat(Keys.generate(type).publicKey().verify(DATA, sig)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void truncatedEncodingsAreRejected(KeyType type) {
        PrivKey priv = key(type);
        byte[] pub = priv.publicKey().marshal();
        byte[] prv = priv.marshal();
        for (int n = 0; n < pub.length; n++) {
            byte[] cut = Arrays.copyOf(pub, n);
            assertThatThrownBy(() -> Keys.unmarshalPublicKey(cut)).as("public key cut at %d", n)
                    .isInstanceOf(KeyFormatException.class);
        }
        for (int n = 0; n < prv.length; n += Math.max(1, prv.length / 64)) {
            byte[] cut = Arrays.copyOf(prv, n);
            assertThatThrownBy(() -> Keys.unmarshalPrivateKey(cut)).as("private key cut at %d", n)
                    .isInstanceOf(KeyFormatException.class);
        }
    }

    @Test
    void malformedEnvelopesAreRejected() {
        // unknown key type 9
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(HEX.parseHex("0809120100")))
                .isInstanceOf(KeyFormatException.class);
        // missing Data field
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(HEX.parseHex("0801")))
                .isInstanceOf(KeyFormatException.class);
        // Data length beyond the input
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(HEX.parseHex("08011240")))
                .isInstanceOf(KeyFormatException.class);
        // oversized input
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(new byte[KeyCodec.MAX_PUBLIC_KEY_BYTES + 1]))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("expected: <=");
        assertThatThrownBy(() -> Keys.unmarshalPrivateKey(new byte[KeyCodec.MAX_PRIVATE_KEY_BYTES + 1]))
                .isInstanceOf(KeyFormatException.class);
        // garbage inside well-formed envelopes, for each type
        for (int t = 0; t < 4; t++) {
            byte[] pb = HEX.parseHex("080" + t + "1221" + "05".repeat(33));
            assertThatThrownBy(() -> Keys.unmarshalPublicKey(pb)).isInstanceOf(KeyFormatException.class);
            byte[] pk = HEX.parseHex("080" + t + "1221" + "ff".repeat(33));
            assertThatThrownBy(() -> Keys.unmarshalPrivateKey(pk)).isInstanceOf(KeyFormatException.class);
        }
    }

    @Test
    void fieldsOutOfOrderDecodeAndReEncodeCanonically() {
        PubKey key = key(KeyType.ED25519).publicKey();
        byte[] canonical = key.marshal();
        byte[] swapped = new byte[canonical.length];
        System.arraycopy(canonical, 2, swapped, 0, canonical.length - 2);
        System.arraycopy(canonical, 0, swapped, canonical.length - 2, 2);
        assertThat(Keys.unmarshalPublicKey(swapped).marshal()).isEqualTo(canonical);
    }

    @Test
    void ed25519MatchesRfc8032TestVector1() {
        // RFC 8032 section 7.1, TEST 1 (empty message).
        PrivKey k = Keys.ed25519FromSeed(
                HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertThat(HEX.formatHex(k.publicKey().raw()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        byte[] sig = k.sign(new byte[0]);
        assertThat(HEX.formatHex(sig)).isEqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    }

    @Test
    void ed25519PublicKeyMustBeACurvePoint() {
        // Little-endian y = 2^255 - 18 = p + 1: a non-canonical encoding, refused.
        byte[] nonCanonical = HEX.parseHex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(envelope(1, nonCanonical)))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("point");
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(envelope(1, new byte[33])))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("expected: 32");
    }

    @Test
    void nullArgumentsAreRejected() {
        PrivKey k = key(KeyType.ED25519);
        assertThatThrownBy(() -> k.sign(null)).isInstanceOf(NullPointerException.class).hasMessage("data");
        assertThatThrownBy(() -> k.publicKey().verify(DATA, null))
                .isInstanceOf(NullPointerException.class).hasMessage("signature");
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Keys.generate(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void ed25519PrivateKeyForms() {
        PrivKey k = key(KeyType.ED25519);
        byte[] data64 = Arrays.copyOfRange(k.marshal(), 4, 68);
        byte[] seed = Arrays.copyOf(data64, 32);
        byte[] pub = Arrays.copyOfRange(data64, 32, 64);
        assertThat(Keys.unmarshalPrivateKey(envelope(1, seed)).publicKey()).isEqualTo(k.publicKey());
        byte[] legacy96 = concat(data64, pub);
        assertThat(Keys.unmarshalPrivateKey(envelope(1, legacy96)).marshal()).isEqualTo(k.marshal());
        byte[] badLegacy = legacy96.clone();
        badLegacy[95] ^= 1;
        assertThatThrownBy(() -> Keys.unmarshalPrivateKey(envelope(1, badLegacy)))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("differ");
        byte[] wrongPub = data64.clone();
        wrongPub[40] ^= 1;
        assertThatThrownBy(() -> Keys.unmarshalPrivateKey(envelope(1, wrongPub)))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> Keys.ed25519FromSeed(new byte[31])).isInstanceOf(KeyFormatException.class);
    }

    @Test
    void secp256k1AcceptsHighSAndUncompressedKeys() throws Exception {
        PrivKey k = key(KeyType.SECP256K1);
        byte[] sig = k.sign(DATA);
        var seq = org.bouncycastle.asn1.ASN1Sequence.getInstance(sig);
        var r = org.bouncycastle.asn1.ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
        var s = org.bouncycastle.asn1.ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
        var n = org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp256k1").getN();
        assertThat(s.compareTo(n.shiftRight(1))).as("low S").isLessThanOrEqualTo(0);
        byte[] highS = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Integer[] {
            new org.bouncycastle.asn1.ASN1Integer(r), new org.bouncycastle.asn1.ASN1Integer(n.subtract(s))
        }).getEncoded();
        assertThat(k.publicKey().verify(DATA, highS)).isTrue();
        // Deterministic (RFC 6979).
        assertThat(k.sign(DATA)).isEqualTo(sig);

        var point = org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp256k1").getCurve()
                .decodePoint(k.publicKey().raw());
        PubKey uncompressed = Keys.unmarshalPublicKey(envelope(2, point.getEncoded(false)));
        assertThat(uncompressed).isEqualTo(k.publicKey());
        assertThat(uncompressed.raw()).hasSize(33);
        // Not DER: a BER long-form length.
        byte[] ber = new byte[sig.length + 1];
        ber[0] = 0x30;
        ber[1] = (byte) 0x81;
        ber[2] = sig[1];
        System.arraycopy(sig, 2, ber, 3, sig.length - 2);
        assertThat(k.publicKey().verify(DATA, ber)).isFalse();
    }

    @Test
    void rsaKeysOutsideTheBoundsAreRefused() throws Exception {
        var g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        byte[] small = g.generateKeyPair().getPublic().getEncoded();
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(envelope(0, small)))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("1024-bit modulus");
        var big = java.security.KeyFactory.getInstance("RSA").generatePublic(new java.security.spec.RSAPublicKeySpec(
                java.math.BigInteger.ONE.shiftLeft(8200).add(java.math.BigInteger.ONE),
                java.math.BigInteger.valueOf(65537)));
        assertThatThrownBy(() -> Keys.unmarshalPublicKey(envelope(0, big.getEncoded())))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("8201-bit modulus");
    }

    @Test
    void ecdsaP384KeysFromOtherImplementationsWork() throws Exception {
        var g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        var pair = g.generateKeyPair();
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(384,
                ((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS(),
                new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.132.0.34")).getEncoded("DER");
        PrivKey priv = Keys.unmarshalPrivateKey(envelope(3, sec1));
        PubKey pub = Keys.unmarshalPublicKey(envelope(3, pair.getPublic().getEncoded()));
        assertThat(priv.publicKey()).isEqualTo(pub);
        assertThat(pub.verify(DATA, priv.sign(DATA))).isTrue();
        assertThat(Keys.unmarshalPrivateKey(priv.marshal()).publicKey()).isEqualTo(pub);
        // A SEC1 key without its named curve is refused.
        byte[] noCurve = new org.bouncycastle.asn1.sec.ECPrivateKey(384,
                ((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS()).getEncoded("DER");
        assertThatThrownBy(() -> Keys.unmarshalPrivateKey(envelope(3, noCurve)))
                .isInstanceOf(KeyFormatException.class).hasMessageContaining("named curve");
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void keysAreUsableFromManyThreadsAtOnce(KeyType type) throws Exception {
        PrivKey priv = key(type);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var results = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
            for (int i = 0; i < 40; i++) {
                byte[] data = ("message " + i).getBytes(StandardCharsets.UTF_8);
                results.add(pool.submit(() -> priv.publicKey().verify(data, priv.sign(data))
                        && !priv.publicKey().verify(DATA, priv.sign(data))));
            }
            for (var r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void toStringHidesPrivateKeys() {
        PrivKey k = key(KeyType.ED25519);
        String seedHex = HEX.formatHex(Arrays.copyOfRange(k.marshal(), 4, 36));
        assertThat(k.toString()).doesNotContain(seedHex).contains(HEX.formatHex(k.publicKey().raw()));
    }

    static byte[] envelope(int type, byte[] data) {
        byte[] len = data.length < 128 ? new byte[] {(byte) data.length}
                : new byte[] {(byte) (data.length | 0x80), (byte) (data.length >>> 7)};
        return concat(new byte[] {0x08, (byte) type, 0x12}, len, data);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}

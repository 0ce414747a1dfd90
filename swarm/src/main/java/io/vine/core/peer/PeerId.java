package io.vine.core.peer;

import static java.util.Objects.requireNonNull;

import io.vine.core.crypto.KeyFormatException;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PubKey;
import io.vine.core.multiformats.Base32;
import io.vine.core.multiformats.Base58;
import io.vine.core.multiformats.Multihash;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A libp2p peer id: the multihash of a protobuf-encoded public key, the identity multihash when the
 * encoded key is 42 bytes or less (Ed25519, secp256k1), else its sha2-256. Immutable; equality and
 * order are those of the multihash bytes (unsigned).
 */
public final class PeerId implements Comparable<PeerId> {
    /** Encoded public keys up to this length are inlined in the peer id (identity multihash). */
    public static final int MAX_INLINE_KEY_BYTES = 42;
    /** The {@code libp2p-key} multicodec of peer ids written as CIDs. */
    static final int LIBP2P_KEY_CODEC = 0x72;
    /** Bound on the text of a peer id: the longest valid form (a CID in base32) is 75 characters. */
    static final int MAX_TEXT_LENGTH = 128;

    private final byte[] bytes;
    private final int hash;

    private PeerId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** The peer id of a public key. */
    public static PeerId fromPublicKey(PubKey key) {
        requireNonNull(key, "key");
        byte[] encoded = key.marshal();
        Multihash mh = encoded.length <= MAX_INLINE_KEY_BYTES
                ? Multihash.identity(encoded)
                : Multihash.sha256(encoded);
        return new PeerId(mh.toBytes());
    }

    /**
     * The peer id of a binary multihash: an identity multihash of at most 42 bytes, or a sha2-256
     * multihash.
     *
     * @throws InvalidPeerIdException if the bytes are not such a multihash
     */
    public static PeerId fromBytes(byte[] multihash) {
        requireNonNull(multihash, "multihash");
        Multihash mh;
        try {
            mh = Multihash.decode(multihash);
        } catch (IllegalArgumentException e) {
            throw new InvalidPeerIdException("peer id: " + e.getMessage(), e);
        }
        if (mh.code() == Multihash.IDENTITY) {
            if (mh.digest().length > MAX_INLINE_KEY_BYTES) {
                throw new InvalidPeerIdException("peer id: identity multihash of " + mh.digest().length
                        + " bytes (expected: <= " + MAX_INLINE_KEY_BYTES + ")");
            }
        } else if (mh.code() != Multihash.SHA2_256) {
            throw new InvalidPeerIdException("peer id: multihash code 0x" + Integer.toHexString(mh.code())
                    + " (expected: identity or sha2-256)");
        }
        return new PeerId(multihash.clone());
    }

    /**
     * Parses the text of a peer id: a base58btc multihash ({@code 12D3KooW...}, {@code Qm...}) or a
     * CIDv1 with the {@code libp2p-key} codec in multibase base32 ({@code bafz...}), {@code B} (upper
     * case base32) or {@code z} (base58btc).
     *
     * @throws InvalidPeerIdException if the text is not a peer id
     */
    public static PeerId parse(String text) {
        requireNonNull(text, "text");
        if (text.isEmpty() || text.length() > MAX_TEXT_LENGTH) {
            throw new InvalidPeerIdException(
                    "peer id: text of " + text.length() + " characters (expected: 1.." + MAX_TEXT_LENGTH + ")");
        }
        try {
            if (text.charAt(0) == '1' || text.startsWith("Qm")) {
                return fromBytes(Base58.decode(text));
            }
            String rest = text.substring(1);
            byte[] cid = switch (text.charAt(0)) {
                case 'b' -> Base32.decode(rest);
                case 'B' -> {
                    if (!rest.equals(rest.toUpperCase(Locale.ROOT))) {
                        throw new IllegalArgumentException("base32 upper: lower-case character");
                    }
                    yield Base32.decode(rest.toLowerCase(Locale.ROOT));
                }
                case 'z' -> Base58.decode(rest);
                default -> throw new InvalidPeerIdException("peer id: '" + text
                        + "' is neither base58btc nor a multibase CID (expected: 1..., Qm..., b..., B... or z...)");
            };
            return fromCid(cid);
        } catch (IllegalArgumentException e) {
            throw new InvalidPeerIdException("peer id: '" + text + "': " + e.getMessage(), e);
        }
    }

    private static PeerId fromCid(byte[] cid) {
        // <cid-version=1><multicodec=0x72><multihash>; both varints fit one byte when valid.
        if (cid.length < 2 || cid[0] != 1) {
            throw new InvalidPeerIdException("peer id: not a CIDv1");
        }
        if (cid[1] != LIBP2P_KEY_CODEC) {
            throw new InvalidPeerIdException("peer id: CID multicodec 0x" + Integer.toHexString(cid[1] & 0xff)
                    + " (expected: libp2p-key 0x72)");
        }
        return fromBytes(Arrays.copyOfRange(cid, 2, cid.length));
    }

    /** The binary multihash. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The base58btc text, the canonical form ({@code 12D3KooW...} for Ed25519 keys). */
    public String toBase58() {
        return Base58.encode(bytes);
    }

    /** The CIDv1 text in multibase base32 ({@code bafz...}). */
    public String toCid() {
        byte[] cid = new byte[bytes.length + 2];
        cid[0] = 1;
        cid[1] = LIBP2P_KEY_CODEC;
        System.arraycopy(bytes, 0, cid, 2, bytes.length);
        return "b" + Base32.encode(cid);
    }

    /**
     * The public key inlined in this peer id (identity multihash), or empty when the id is a hash of
     * the key or the inlined bytes are not a key this implementation decodes.
     */
    public Optional<PubKey> extractPublicKey() {
        Multihash mh = Multihash.decode(bytes);
        if (mh.code() != Multihash.IDENTITY) {
            return Optional.empty();
        }
        try {
            return Optional.of(Keys.unmarshalPublicKey(mh.digest()));
        } catch (KeyFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether this is the peer id of {@code key}. */
    public boolean matches(PubKey key) {
        requireNonNull(key, "key");
        return equals(fromPublicKey(key));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId p && hash == p.hash && Arrays.equals(bytes, p.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(PeerId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    /** The base58btc text. */
    @Override
    public String toString() {
        return toBase58();
    }
}

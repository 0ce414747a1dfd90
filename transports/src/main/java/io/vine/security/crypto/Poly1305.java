package io.vine.security.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Poly1305 one-time authenticator (RFC 8439, section 2.5) on 64-bit limbs.
 *
 * <p>The accumulator {@code h} is kept in radix 2^64 as {@code h0 + h1*2^64 + h2*2^128} with a small
 * {@code h2}. The clamped key {@code r = r0 + r1*2^64} has {@code r0, r1 < 2^60} and {@code r1}
 * divisible by 4, so the product's terms at 2^128 and above fold back with the factor
 * {@code 5/4} ({@code s1 = r1 + r1/4}) without overflowing 128-bit partial sums. A block costs four
 * 64x64-to-128-bit products and two small ones. Every step is branch-free, so time does not depend
 * on the key or the message.
 *
 * <p>Not thread-safe; reusable after {@link #init}.
 */
final class Poly1305 {
    static final int KEY_LENGTH = 32;
    static final int TAG_LENGTH = 16;
    static final int BLOCK = 16;

    private static final VarHandle LE_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] ZEROS = new byte[BLOCK];
    private static final int SCRATCH = 2048;

    private long r0;
    private long r1;
    private long s1;
    private long k0;
    private long k1;
    private long h0;
    private long h1;
    private long h2;
    private final byte[] block = new byte[BLOCK]; // a padded last block or the length block
    private byte[] scratch; // staging for direct buffers, allocated on first use

    /** Starts a new message with the 32-byte one-time key {@code key[off .. off+32)}. */
    void init(byte[] key, int off) {
        r0 = (long) LE_LONG.get(key, off) & 0x0ffffffc0fffffffL;
        r1 = (long) LE_LONG.get(key, off + 8) & 0x0ffffffc0ffffffcL;
        s1 = r1 + (r1 >>> 2);
        k0 = (long) LE_LONG.get(key, off + 16);
        k1 = (long) LE_LONG.get(key, off + 24);
        h0 = 0;
        h1 = 0;
        h2 = 0;
    }

    /**
     * Absorbs {@code a[off .. off+len)} as AEAD input (RFC 8439, section 2.8): a final partial block
     * is padded with zeros to 16 bytes and then treated as a full block.
     */
    void updatePadded(byte[] a, int off, int len) {
        int full = len & ~(BLOCK - 1);
        blocks(a, off, full, 1);
        if (full != len) {
            System.arraycopy(a, off + full, block, 0, len - full);
            System.arraycopy(ZEROS, 0, block, len - full, BLOCK - (len - full));
            blocks(block, 0, BLOCK, 1);
        }
    }

    /** As {@link #updatePadded(byte[], int, int)} for {@code len} bytes of {@code b} from index {@code off}. */
    void updatePadded(ByteBuffer b, int off, int len) {
        if (b.hasArray()) {
            updatePadded(b.array(), b.arrayOffset() + off, len);
            return;
        }
        byte[] s = scratch;
        if (s == null) {
            s = scratch = new byte[SCRATCH];
        }
        int full = len & ~(BLOCK - 1);
        for (int done = 0; done < full; ) {
            int n = Math.min(SCRATCH, full - done);
            b.get(off + done, s, 0, n);
            blocks(s, 0, n, 1);
            done += n;
        }
        if (full != len) {
            int rest = len - full;
            b.get(off + full, s, 0, rest);
            System.arraycopy(ZEROS, 0, s, rest, BLOCK - rest);
            blocks(s, 0, BLOCK, 1);
        }
    }

    /** Absorbs the AEAD length block: the AAD length and the ciphertext length, 64-bit little-endian each. */
    void updateLengths(long aadLength, long textLength) {
        LE_LONG.set(block, 0, aadLength);
        LE_LONG.set(block, 8, textLength);
        blocks(block, 0, BLOCK, 1);
    }

    /**
     * Absorbs a whole message per RFC 8439 section 2.5: a final partial block gets a 0x01 byte
     * appended and no 2^128 bit. Only for computing a MAC over one message in one call.
     */
    void updateMessage(byte[] a, int off, int len) {
        int full = len & ~(BLOCK - 1);
        blocks(a, off, full, 1);
        if (full != len) {
            System.arraycopy(ZEROS, 0, block, 0, BLOCK);
            System.arraycopy(a, off + full, block, 0, len - full);
            block[len - full] = 1;
            blocks(block, 0, BLOCK, 0);
        }
    }

    /**
     * Processes {@code len / 16} full blocks; {@code hibit} is 1 for full 16-byte blocks (the 2^128
     * bit) and 0 for a block that already carries its own 0x01 terminator.
     */
    private void blocks(byte[] a, int off, int len, long hibit) {
        final long r0 = this.r0;
        final long r1 = this.r1;
        final long s1 = this.s1;
        long h0 = this.h0;
        long h1 = this.h1;
        long h2 = this.h2;
        for (int end = off + (len & ~(BLOCK - 1)); off < end; off += BLOCK) {
            // h += m (h2 <= 4 before, so t2 <= 6)
            long m0 = (long) LE_LONG.get(a, off);
            long m1 = (long) LE_LONG.get(a, off + 8);
            long t0 = h0 + m0;
            long c = carry(h0, m0, t0);
            long t1 = h1 + m1 + c;
            c = carry(h1, m1, t1);
            long t2 = h2 + c + hibit;

            // d0 = t0*r0 + t1*s1                      (< 2.25 * 2^124)
            long p = t0 * r0;
            long x = t1 * s1;
            long d0 = p + x;
            long d0h = Math.unsignedMultiplyHigh(t0, r0) + Math.unsignedMultiplyHigh(t1, s1) + carry(p, x, d0);
            // d1 = t0*r1 + t1*r0 + (t2*s1 + (d0 >> 64)); the last term < 7.5 * 2^60 + 2.25 * 2^60 < 2^64
            p = t0 * r1;
            x = t1 * r0;
            long d1 = p + x;
            long d1h = Math.unsignedMultiplyHigh(t0, r1) + Math.unsignedMultiplyHigh(t1, r0) + carry(p, x, d1);
            p = d1;
            x = t2 * s1 + d0h;
            d1 = p + x;
            d1h += carry(p, x, d1);
            // d2 = t2*r0 + (d1 >> 64)                  (< 2^64)
            long d2 = t2 * r0 + d1h;

            // partial reduction: bits at 2^130 and above times 5 go back to the bottom
            c = (d2 & ~3L) + (d2 >>> 2);
            h2 = d2 & 3;
            h0 = d0 + c;
            c = carry(d0, c, h0);
            h1 = d1 + c;
            h2 += carry(d1, c, h1);
        }
        this.h0 = h0;
        this.h1 = h1;
        this.h2 = h2;
    }

    /** Writes the 16-byte tag, (h mod p) + s mod 2^128, to {@code out[off .. off+16)}. */
    void finish(byte[] out, int off) {
        // h < 5 * 2^128 < 2p, so at most one subtraction of p = 2^130 - 5: take h + 5 - 2^130 when it is >= 0
        long g0 = h0 + 5;
        long c = lt(g0, 5);
        long g1 = h1 + c;
        long g2 = h2 + lt(g1, c);
        long mask = -(g2 >>> 2); // all ones when h >= p
        long f0 = (h0 & ~mask) | (g0 & mask);
        long f1 = (h1 & ~mask) | (g1 & mask);
        long t0 = f0 + k0;
        long t1 = f1 + k1 + lt(t0, k0);
        LE_LONG.set(out, off, t0);
        LE_LONG.set(out, off + 8, t1);
    }

    /** The carry out of {@code sum = a + b (+ carry in)}, 0 or 1. */
    private static long carry(long a, long b, long sum) {
        return ((a & b) | ((a | b) & ~sum)) >>> 63;
    }

    /** 1 if {@code a < b} unsigned, else 0: the carry out of {@code a = x + b}. */
    private static long lt(long a, long b) {
        return ((~a & b) | ((~a | b) & (a - b))) >>> 63;
    }
}

package io.vine.security.crypto;

import static java.util.Objects.requireNonNull;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import javax.crypto.AEADBadTagException;

/**
 * ChaCha20-Poly1305 by libcrypto's {@code EVP_chacha20_poly1305}: one {@code EVP_CIPHER_CTX} keyed
 * once, then per message the nonce, the AAD, one update over the whole text, the final step and the
 * tag. Buffers are viewed as {@link MemorySegment}s and handed to libcrypto where they are (direct
 * buffers as native memory, heap buffers through critical downcalls): nothing is copied. A critical
 * call holds off the garbage collector while it runs, which for a Noise record (at most 65535 bytes)
 * is a few microseconds.
 *
 * <p>libcrypto decrypts while it authenticates, so {@code open} writes plaintext before it knows the
 * tag; on a wrong tag the written range of {@code out} is zeroed again before
 * {@link AEADBadTagException} is thrown. Positions are left as they were.
 *
 * <p>The context lives in a shared {@link Arena} per instance, freed by {@link #close()} (or, as a
 * backstop, when the instance becomes unreachable); any use after that fails with
 * {@link IllegalStateException}, never with a native crash.
 */
final class LibcryptoChaCha20Poly1305 implements ChaCha20Poly1305 {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int EVP_CTRL_AEAD_GET_TAG = 0x10;
    private static final int EVP_CTRL_AEAD_SET_TAG = 0x11;
    private static final int ENCRYPT = 1;
    private static final int DECRYPT = 0;

    private final Libcrypto.Functions f;
    private final Arena arena;
    private final MemorySegment ctx;
    private final Cleaner.Cleanable cleanable;
    private final int[] outLength = new int[1];
    private final MemorySegment outLengthSegment = MemorySegment.ofArray(outLength);

    LibcryptoChaCha20Poly1305(Libcrypto.Functions f, byte[] key) {
        this.f = f;
        this.arena = Arena.ofShared();
        try {
            MemorySegment raw = (MemorySegment) f.ctxNew().invokeExact();
            if (raw.equals(MemorySegment.NULL)) {
                throw new OutOfMemoryError("EVP_CIPHER_CTX_new failed");
            }
            Libcrypto.LIVE_CONTEXTS.incrementAndGet();
            MethodHandleFree free = new MethodHandleFree(f);
            this.ctx = raw.reinterpret(arena, free::free);
            check((int) f.cipherInit().invokeExact(ctx, f.cipher(), MemorySegment.NULL, MemorySegment.ofArray(key),
                    MemorySegment.NULL, ENCRYPT), "EVP_CipherInit_ex (key)");
        } catch (Throwable e) {
            arena.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException("libcrypto: cannot create a cipher", e);
        }
        Arena a = arena;
        this.cleanable = CLEANER.register(this, a::close);
    }

    @Override
    public Implementation implementation() {
        return Implementation.LIBCRYPTO;
    }

    @Override
    public int seal(byte[] nonce, byte[] aad, ByteBuffer plaintext, ByteBuffer out) throws GeneralSecurityException {
        int length = plaintext.remaining();
        Ciphers.checkRoom(out, length + TAG_LENGTH);
        checkWritable(out);
        start(nonce, aad, ENCRYPT);
        MemorySegment o = MemorySegment.ofBuffer(out);
        MemorySegment in = input(MemorySegment.ofBuffer(plaintext), o);
        try {
            if (length > 0) {
                check((int) f.cipherUpdate().invokeExact(ctx, o, outLengthSegment, in, length), "EVP_CipherUpdate");
            }
            check((int) f.cipherFinal().invokeExact(ctx, o.asSlice(length), outLengthSegment), "EVP_CipherFinal_ex");
            check((int) f.ctrl().invokeExact(ctx, EVP_CTRL_AEAD_GET_TAG, TAG_LENGTH, o.asSlice(length, TAG_LENGTH)),
                    "EVP_CIPHER_CTX_ctrl (get tag)");
        } catch (GeneralSecurityException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        plaintext.position(plaintext.limit());
        out.position(out.position() + length + TAG_LENGTH);
        return length + TAG_LENGTH;
    }

    @Override
    public int open(byte[] nonce, byte[] aad, ByteBuffer ciphertext, ByteBuffer out) throws GeneralSecurityException {
        int length = Ciphers.openedLength(ciphertext, out);
        checkWritable(out);
        start(nonce, aad, DECRYPT);
        MemorySegment o = MemorySegment.ofBuffer(out);
        MemorySegment in = input(MemorySegment.ofBuffer(ciphertext), o);
        boolean authentic;
        try {
            check((int) f.ctrl().invokeExact(ctx, EVP_CTRL_AEAD_SET_TAG, TAG_LENGTH, in.asSlice(length, TAG_LENGTH)),
                    "EVP_CIPHER_CTX_ctrl (set tag)");
            if (length > 0) {
                check((int) f.cipherUpdate().invokeExact(ctx, o, outLengthSegment, in, length), "EVP_CipherUpdate");
            }
            authentic = (int) f.cipherFinal().invokeExact(ctx, o.asSlice(length), outLengthSegment) == 1;
            if (!authentic) {
                f.clearErrors().invokeExact();
            }
        } catch (GeneralSecurityException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (!authentic) {
            o.asSlice(0, length).fill((byte) 0); // no unauthenticated plaintext stays behind
            throw new AEADBadTagException("ChaCha20-Poly1305: tag mismatch");
        }
        ciphertext.position(ciphertext.limit());
        out.position(out.position() + length);
        return length;
    }

    /** Frees the native context; idempotent. Not to be called while another thread uses this instance. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** Sets the nonce (resetting the message state) and absorbs the AAD. */
    private void start(byte[] nonce, byte[] aad, int mode) throws GeneralSecurityException {
        requireNonNull(nonce, "nonce");
        requireNonNull(aad, "aad");
        if (nonce.length != NONCE_LENGTH) {
            throw new InvalidAlgorithmParameterException(
                    "nonce: " + nonce.length + " bytes (expected: " + NONCE_LENGTH + ")");
        }
        try {
            check((int) f.cipherInit().invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL,
                    MemorySegment.ofArray(nonce), mode), "EVP_CipherInit_ex (nonce)");
            if (aad.length > 0) {
                check((int) f.cipherUpdate().invokeExact(ctx, MemorySegment.NULL, outLengthSegment,
                        MemorySegment.ofArray(aad), aad.length), "EVP_CipherUpdate (aad)");
            }
        } catch (GeneralSecurityException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The input as libcrypto may read it: itself, unless it overlaps the output without starting at
     * the same address (libcrypto handles exact in-place, not shifted overlaps); then a copy.
     */
    private static MemorySegment input(MemorySegment in, MemorySegment out) {
        if (in.byteSize() == 0 || out.byteSize() == 0 || in.isNative() != out.isNative()) {
            return in;
        }
        if (!in.isNative() && in.heapBase().orElseThrow() != out.heapBase().orElseThrow()) {
            return in;
        }
        long a = in.address();
        long b = out.address();
        boolean overlap = a < b + out.byteSize() && b < a + in.byteSize();
        return overlap && a != b ? MemorySegment.ofArray(in.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)) : in;
    }

    private static void checkWritable(ByteBuffer out) {
        if (out.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
    }

    private static void check(int rc, String call) throws GeneralSecurityException {
        if (rc != 1) {
            throw new GeneralSecurityException("libcrypto: " + call + " failed (" + rc + ")");
        }
    }

    /** Frees a context when its arena closes; holds no reference to the cipher object. */
    private record MethodHandleFree(Libcrypto.Functions f) {
        void free(MemorySegment ctx) {
            try {
                f.ctxFree().invokeExact(ctx);
            } catch (Throwable e) {
                throw new IllegalStateException("EVP_CIPHER_CTX_free failed", e);
            } finally {
                Libcrypto.LIVE_CONTEXTS.decrementAndGet();
            }
        }
    }
}

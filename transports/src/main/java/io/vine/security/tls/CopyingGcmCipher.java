package io.vine.security.tls;

import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;

/**
 * AES-GCM that hands every call to the JDK's cipher ({@code delegate}), except an in-place
 * decryption (ciphertext and plaintext in the same array, as the JDK's TLS engine decrypts records):
 * for up to {@value #MAX_COPY} bytes, on a platform thread, it copies the ciphertext into a buffer of
 * that thread and decrypts from there into the original array, so that the JDK takes its fused
 * AES+GHASH path instead of two passes (see {@link FusedGcmDecryption}). Only ciphertext is ever
 * copied. A failure (a wrong tag) throws the JDK's exception with the input's position unchanged, as
 * the JDK leaves it; the output, which here is also the input, is zeroed then.
 */
final class CopyingGcmCipher extends CipherSpi {
    /**
     * The largest in-place decryption that is copied: a TLS record is at most 16 KiB + 256 + tag. Each
     * platform thread that decrypts in place keeps one buffer of this size; virtual threads, of which an
     * application may run very many, decrypt in place as the JDK does.
     */
    static final int MAX_COPY = 32 * 1024;

    private static final ThreadLocal<byte[]> ciphertext = ThreadLocal.withInitial(() -> new byte[MAX_COPY]);

    /** Decryptions that took the copying path, in this JVM: for tests and diagnostics. */
    static final LongAdder copiedDecryptions = new LongAdder();

    private final Cipher delegate;
    /** Set by each init; a failed init leaves the Cipher uninitialized, so no call reads a stale value. */
    private boolean decrypting;

    CopyingGcmCipher(Cipher delegate) {
        this.delegate = delegate;
    }

    @Override
    protected void engineSetMode(String mode) throws NoSuchAlgorithmException {
        if (!"GCM".equalsIgnoreCase(mode)) {
            throw new NoSuchAlgorithmException("only GCM, not " + mode);
        }
    }

    @Override
    protected void engineSetPadding(String padding) throws NoSuchPaddingException {
        if (!"NoPadding".equalsIgnoreCase(padding)) {
            throw new NoSuchPaddingException("only NoPadding, not " + padding);
        }
    }

    @Override
    protected int engineGetBlockSize() {
        return delegate.getBlockSize();
    }

    @Override
    protected int engineGetOutputSize(int inputLen) {
        return delegate.getOutputSize(inputLen);
    }

    @Override
    protected byte[] engineGetIV() {
        return delegate.getIV();
    }

    @Override
    protected AlgorithmParameters engineGetParameters() {
        return delegate.getParameters();
    }

    @Override
    protected int engineGetKeySize(Key key) throws InvalidKeyException {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new InvalidKeyException("key has no encoding");
        }
        return encoded.length * 8;
    }

    @Override
    protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
        delegate.init(opmode, key, random);
        decrypting = opmode == Cipher.DECRYPT_MODE;
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        delegate.init(opmode, key, params, random);
        decrypting = opmode == Cipher.DECRYPT_MODE;
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        delegate.init(opmode, key, params, random);
        decrypting = opmode == Cipher.DECRYPT_MODE;
    }

    @Override
    protected void engineUpdateAAD(byte[] src, int offset, int len) {
        delegate.updateAAD(src, offset, len);
    }

    @Override
    protected void engineUpdateAAD(ByteBuffer src) {
        delegate.updateAAD(src);
    }

    @Override
    protected byte[] engineUpdate(byte[] input, int inputOffset, int inputLen) {
        return delegate.update(input, inputOffset, inputLen);
    }

    @Override
    protected int engineUpdate(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
            throws ShortBufferException {
        return delegate.update(input, inputOffset, inputLen, output, outputOffset);
    }

    @Override
    protected int engineUpdate(ByteBuffer input, ByteBuffer output) throws ShortBufferException {
        return delegate.update(input, output);
    }

    @Override
    protected byte[] engineDoFinal(byte[] input, int inputOffset, int inputLen)
            throws IllegalBlockSizeException, BadPaddingException {
        return delegate.doFinal(input, inputOffset, inputLen);
    }

    @Override
    protected int engineDoFinal(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
            throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
        return delegate.doFinal(input, inputOffset, inputLen, output, outputOffset);
    }

    @Override
    protected int engineDoFinal(ByteBuffer input, ByteBuffer output)
            throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
        int length = input.remaining();
        if (!decrypting || length > MAX_COPY || !input.hasArray() || !output.hasArray() || input.array() != output.array()
                || output.remaining() < delegate.getOutputSize(length) || Thread.currentThread().isVirtual()) {
            return delegate.doFinal(input, output);
        }
        byte[] copy = ciphertext.get();
        int start = input.position();
        input.get(copy, 0, length);
        int written;
        try {
            written = delegate.doFinal(copy, 0, length, output.array(), output.arrayOffset() + output.position());
        } catch (GeneralSecurityException e) {
            input.position(start); // as the JDK leaves it
            throw e;
        }
        output.position(output.position() + written);
        copiedDecryptions.increment();
        return written;
    }

    @Override
    protected byte[] engineWrap(Key key) throws IllegalBlockSizeException, InvalidKeyException {
        return delegate.wrap(key);
    }

    @Override
    protected Key engineUnwrap(byte[] wrappedKey, String wrappedKeyAlgorithm, int wrappedKeyType)
            throws InvalidKeyException, NoSuchAlgorithmException {
        return delegate.unwrap(wrappedKey, wrappedKeyAlgorithm, wrappedKeyType);
    }
}

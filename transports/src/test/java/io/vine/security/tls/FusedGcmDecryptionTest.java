package io.vine.security.tls;

import static io.vine.testing.TestBytes.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vine.security.ChannelPair;
import java.nio.ByteBuffer;
import java.security.Provider;
import java.security.Security;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The AES-GCM provider that TlsSecurity puts in front of the JDK's: same results, copied decryptions. */
class FusedGcmDecryptionTest {
    private static final String T = FusedGcmDecryption.TRANSFORMATION;
    private static final SecretKeySpec KEY = new SecretKeySpec(random(16), "AES");
    private static final byte[] AAD = random(5);

    @BeforeAll
    static void install() throws Exception {
        new TlsSecurity();
        if (AesGcmWarmup.started()) { // its decryptions would count too
            assertThat(AesGcmWarmup.awaitEnd(Duration.ofSeconds(30))).as("AES-GCM warm-up ended").isTrue();
        }
    }

    private static byte[] sealWithTheJdk(byte[] nonce, byte[] plaintext) throws Exception {
        Cipher jdk = Cipher.getInstance(T, "SunJCE");
        jdk.init(Cipher.ENCRYPT_MODE, KEY, new GCMParameterSpec(128, nonce));
        jdk.updateAAD(AAD);
        return jdk.doFinal(plaintext);
    }

    private static Cipher opener(byte[] nonce) throws Exception {
        Cipher cipher = Cipher.getInstance(T);
        cipher.init(Cipher.DECRYPT_MODE, KEY, new GCMParameterSpec(128, nonce));
        cipher.updateAAD(AAD);
        return cipher;
    }

    @Test
    void theProviderStandsDirectlyInFrontOfTheJdksAndServesAesGcm() throws Exception {
        List<String> names = Arrays.stream(Security.getProviders()).map(Provider::getName).toList();
        assertThat(names.indexOf(FusedGcmDecryption.PROVIDER_NAME)).isEqualTo(names.indexOf("SunJCE") - 1);
        assertThat(Cipher.getInstance(T).getProvider().getName()).isEqualTo(FusedGcmDecryption.PROVIDER_NAME);
        new TlsSecurity();
        assertThat(names).isEqualTo(Arrays.stream(Security.getProviders()).map(Provider::getName).toList());
    }

    /** Decrypted in place in a heap buffer, at an offset, as the TLS engine does; 40000 is over the copy limit. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 767, 768, 769, 16_384, 16_401, 40_000})
    void anInPlaceDecryptionOpensToWhatTheJdkSealed(int length) throws Exception {
        byte[] nonce = random(12);
        byte[] plaintext = random(length);
        byte[] sealed = sealWithTheJdk(nonce, plaintext);
        byte[] array = new byte[7 + sealed.length + 9];
        System.arraycopy(sealed, 0, array, 7, sealed.length);
        ByteBuffer in = ByteBuffer.wrap(array, 7, sealed.length);
        ByteBuffer out = in.duplicate();
        long copiedBefore = CopyingGcmCipher.copiedDecryptions.sum();

        assertThat(opener(nonce).doFinal(in, out)).isEqualTo(length);

        assertThat(Arrays.copyOfRange(array, 7, 7 + length)).isEqualTo(plaintext);
        assertThat(in.position()).isEqualTo(in.limit());
        assertThat(out.position()).isEqualTo(7 + length);
        assertThat(CopyingGcmCipher.copiedDecryptions.sum() - copiedBefore)
                .isEqualTo(sealed.length <= CopyingGcmCipher.MAX_COPY ? 1 : 0);
    }

    @Test
    void aVirtualThreadDecryptsInPlaceAsTheJdkDoes() throws Exception {
        byte[] nonce = random(12);
        byte[] plaintext = random(16_401);
        byte[] sealed = sealWithTheJdk(nonce, plaintext);
        ByteBuffer in = ByteBuffer.wrap(sealed);
        long copiedBefore = CopyingGcmCipher.copiedDecryptions.sum();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                opener(nonce).doFinal(in, in.duplicate());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        t.join();
        assertThat(Arrays.copyOf(sealed, plaintext.length)).isEqualTo(plaintext);
        assertThat(CopyingGcmCipher.copiedDecryptions.sum()).isEqualTo(copiedBefore);
    }

    @Test
    void aWrongTagFailsAsWithTheJdkAndLeavesTheInputPosition() throws Exception {
        byte[] nonce = random(12);
        byte[] sealed = sealWithTheJdk(nonce, random(1000));
        sealed[sealed.length - 1] ^= 1;
        ByteBuffer in = ByteBuffer.wrap(sealed);
        assertThatThrownBy(() -> opener(nonce).doFinal(in, in.duplicate())).isInstanceOf(AEADBadTagException.class);
        assertThat(in.position()).isZero();
    }

    @Test
    void encryptionAndSeparateArraysAreTheJdksOwn() throws Exception {
        byte[] nonce = random(12);
        byte[] plaintext = random(20_000);
        Cipher sealer = Cipher.getInstance(T);
        sealer.init(Cipher.ENCRYPT_MODE, KEY, new GCMParameterSpec(128, nonce));
        sealer.updateAAD(AAD);
        ByteBuffer record = ByteBuffer.allocate(plaintext.length + 16).put(plaintext).flip();
        sealer.doFinal(record, record.duplicate().clear()); // in place, as the TLS engine seals
        assertThat(record.array()).isEqualTo(sealWithTheJdk(nonce, plaintext));
        long copiedBefore = CopyingGcmCipher.copiedDecryptions.sum();
        assertThat(opener(nonce).doFinal(record.array())).isEqualTo(plaintext);
        assertThat(CopyingGcmCipher.copiedDecryptions.sum()).isEqualTo(copiedBefore);
    }

    @Test
    void theTlsEngineDecryptsItsRecordsThroughIt() {
        try (ChannelPair wire = new ChannelPair()) {
            TlsOnChannelPair.connect(wire, PooledByteBufAllocator.DEFAULT);
            long copiedBefore = CopyingGcmCipher.copiedDecryptions.sum();
            byte[] payload = random(200_000); // 13 records of 16 KiB at least
            ByteBuf data = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(payload);
            wire.initiator.writeAndFlush(data);
            ChannelPair.transfer(wire.initiator, wire.responder);
            assertThat(ChannelPair.readInboundBytes(wire.responder)).isEqualTo(payload);
            assertThat(CopyingGcmCipher.copiedDecryptions.sum() - copiedBefore).isGreaterThanOrEqualTo(200_000 / 16_384);
        }
    }
}

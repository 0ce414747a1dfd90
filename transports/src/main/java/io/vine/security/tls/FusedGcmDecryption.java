package io.vine.security.tls;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;

/**
 * Lets the JDK's TLS engine decrypt records with the JDK's fused AES-GCM code. The engine decrypts
 * every record in place (plaintext over ciphertext in the same array), and for that case the JDK's
 * AES-GCM leaves its fused AES+GHASH intrinsic aside and makes two passes, hashing and then
 * decrypting: on an AVX-512 machine, opening a 16 KiB record in place ran at 6.6 GB/s, and at 14.7
 * GB/s from a copy of the ciphertext, copy included (benchmarks' GcmDecryptBenchmark, one thread). On
 * the overlay's receiving node that decryption was the largest single cost of the event loop that
 * limited its throughput.
 *
 * <p>{@link #install()} therefore puts a provider of {@value #TRANSFORMATION} in the JVM's provider
 * list directly in front of the JDK's own (SunJCE), and only when SunJCE is the one that would serve
 * it: every cipher it makes is a {@link CopyingGcmCipher} that hands each call to a SunJCE cipher,
 * except that an in-place decryption of up to {@value CopyingGcmCipher#MAX_COPY} bytes first copies
 * the ciphertext aside (see there). Results, errors and tag checks are SunJCE's own. A provider that
 * the application placed in front of SunJCE keeps precedence. The system property {@value #OPT_OUT}
 * set to {@code false} leaves the provider list alone.
 */
final class FusedGcmDecryption {
    /** Set to false to keep the JVM's AES-GCM untouched. */
    static final String OPT_OUT = "io.vine.tls.fusedGcm";

    static final String PROVIDER_NAME = "VineAesGcm";

    static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private static final String JDK_PROVIDER = "SunJCE";

    private FusedGcmDecryption() {}

    /** Installs the provider once per JVM, unless {@value #OPT_OUT} is false or SunJCE does not serve AES-GCM. */
    static synchronized void install() {
        if (!Boolean.parseBoolean(System.getProperty(OPT_OUT, "true")) || Security.getProvider(PROVIDER_NAME) != null) {
            return;
        }
        Provider serving;
        try {
            serving = Cipher.getInstance(TRANSFORMATION).getProvider();
        } catch (GeneralSecurityException e) {
            return; // no AES-GCM at all: nothing to improve
        }
        if (!JDK_PROVIDER.equals(serving.getName())) {
            return; // the application chose another implementation
        }
        List<Provider> providers = List.of(Security.getProviders());
        Security.insertProviderAt(new GcmProvider(serving), providers.indexOf(serving) + 1); // positions count from 1
    }

    private static final class GcmProvider extends Provider {
        GcmProvider(Provider jdk) {
            super(PROVIDER_NAME, "1.0", "The JDK's AES-GCM, decrypting in-place records through its fused intrinsic");
            putService(new Service(this, "Cipher", TRANSFORMATION, CopyingGcmCipher.class.getName(), List.of(), Map.of()) {
                @Override
                public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
                    try {
                        return new CopyingGcmCipher(Cipher.getInstance(TRANSFORMATION, jdk));
                    } catch (GeneralSecurityException e) {
                        throw new NoSuchAlgorithmException(jdk.getName() + " has no " + TRANSFORMATION, e);
                    }
                }
            });
        }
    }
}

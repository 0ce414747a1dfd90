package io.vine.security.crypto;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.vine.security.crypto.ChaCha20Poly1305.Implementation;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Picks the ChaCha20-Poly1305 implementation once per JVM. Measured on one core: the JDK's ChaCha20
 * key stream runs at about 20 Gbit/s everywhere; its Poly1305 is intrinsified only on CPUs with
 * AVX-512 IFMA or AVX-IFMA (and AArch64), where its AEAD is the fastest; elsewhere it falls to about
 * 3 to 6 Gbit/s and vine's Poly1305 on 64-bit multiplies is faster. HotSpot reports whether the
 * intrinsic is in use through its {@code UsePoly1305Intrinsics} flag.
 */
final class ImplementationChoice {
    static final String PROPERTY = "io.vine.crypto.chacha20poly1305";
    static final Implementation PREFERRED = choose(System.getProperty(PROPERTY, ""));

    private ImplementationChoice() {}

    static Implementation choose(String property) {
        switch (property.trim().toLowerCase(Locale.ROOT)) {
            case "vine":
                return Implementation.VINE;
            case "jdk":
                return Implementation.JDK;
            case "":
                return jdkPoly1305Intrinsic() ? Implementation.JDK : Implementation.VINE;
            default:
                throw new IllegalArgumentException(PROPERTY + ": " + property + " (expected: vine or jdk)");
        }
    }

    /** Whether HotSpot says its Poly1305 intrinsic is on; false when that cannot be known. */
    private static boolean jdkPoly1305Intrinsic() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot != null && Boolean.parseBoolean(hotspot.getVMOption("UsePoly1305Intrinsics").getValue());
        } catch (RuntimeException | LinkageError e) { // not HotSpot, no java.management, or no such flag
            return false;
        }
    }
}

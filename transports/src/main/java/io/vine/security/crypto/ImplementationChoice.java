package io.vine.security.crypto;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.vine.security.crypto.ChaCha20Poly1305.Implementation;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the ChaCha20-Poly1305 implementation once per JVM: libcrypto when it loads and passes its
 * known-answer test, else the faster Java one. Measured per CPU-second: the JDK's
 * ChaCha20 key stream is intrinsified everywhere, but its Poly1305 only on x86-64 CPUs with AVX-512
 * IFMA (plus AVX-512 VL and BW) or AVX-IFMA, and on AArch64. There the JDK's AEAD is the fastest;
 * elsewhere vine's Poly1305 on 64-bit multiplies is faster.
 *
 * <p>HotSpot's {@code UsePoly1305Intrinsics} flag says it directly, but a diagnostic flag is only
 * readable when the JVM runs with {@code -XX:+UnlockDiagnosticVMOptions}; otherwise the CPU's
 * features decide (from {@code /proc/cpuinfo} on Linux; without it, vine's implementation).
 */
final class ImplementationChoice {
    static final String PROPERTY = "io.vine.crypto.chacha20poly1305";
    private static final Logger log = LoggerFactory.getLogger(ImplementationChoice.class);
    static final Implementation PREFERRED = chooseAndLog(System.getProperty(PROPERTY, ""));

    private ImplementationChoice() {}

    static Implementation choose(String property) {
        switch (property.trim().toLowerCase(Locale.ROOT)) {
            case "vine":
                return Implementation.VINE;
            case "jdk":
                return Implementation.JDK;
            case "libcrypto":
            case "":
                return Implementation.LIBCRYPTO.isAvailable() ? Implementation.LIBCRYPTO : bestJava();
            default:
                throw new IllegalArgumentException(PROPERTY + ": " + property + " (expected: libcrypto, vine or jdk)");
        }
    }

    private static Implementation chooseAndLog(String property) {
        Implementation chosen = choose(property);
        String why = Implementation.LIBCRYPTO.unavailableReason().map(r -> " (libcrypto unavailable: " + r + ")").orElse("");
        if (property.trim().equalsIgnoreCase("libcrypto") && chosen != Implementation.LIBCRYPTO) {
            log.warn("ChaCha20-Poly1305: {}={} asked for libcrypto, using {}{}", PROPERTY, property, chosen, why);
        } else {
            log.debug("ChaCha20-Poly1305: using {}{}", chosen, chosen == Implementation.LIBCRYPTO ? "" : why);
        }
        return chosen;
    }

    /** The faster of the Java implementations on this JVM and CPU. */
    static Implementation bestJava() {
        return jdkHasPoly1305Intrinsic() ? Implementation.JDK : Implementation.VINE;
    }

    private static boolean jdkHasPoly1305Intrinsic() {
        Boolean flag = hotSpotFlag("UsePoly1305Intrinsics");
        if (flag != null) {
            return flag;
        }
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("aarch64")) {
            return true;
        }
        return (arch.equals("amd64") || arch.equals("x86_64")) && x86HasIfma(cpuFlags());
    }

    /** Whether HotSpot would turn its x86-64 Poly1305 intrinsic on with these CPU feature flags. */
    static boolean x86HasIfma(Set<String> flags) {
        return flags.contains("avx_ifma")
                || flags.contains("avx512ifma") && flags.contains("avx512vl") && flags.contains("avx512bw");
    }

    /** A HotSpot flag's value, or null when it cannot be read (locked diagnostic flag, other JVM). */
    private static Boolean hotSpotFlag(String name) {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotspot == null ? null : Boolean.valueOf(hotspot.getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The feature flags of the first CPU in {@code /proc/cpuinfo}; empty where there is none. */
    private static Set<String> cpuFlags() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags"))
                    .findFirst()
                    .map(l -> Set.copyOf(List.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))))
                    .orElse(Set.of());
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }
}

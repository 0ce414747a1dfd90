package io.vine.cli.perf;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The JIT policy of a perf client whose run lasts seconds. A fresh JVM spends its first seconds
 * compiling: on a 2-core machine the optimizing compiler (C2) took 1.4 s of CPU during a 2 GiB run,
 * CPU that both ends of the transfer were waiting for. This policy keeps C2 for the JDK's crypto
 * provider (AES-GCM runs on CPU instructions only from C2's code) and leaves everything else to the
 * quick compiler (C1), whose code is ready sooner and is 5 to 15 % slower once both are warm.
 *
 * <p>Measured on loopback against a warm server, 1 GiB each way from a fresh client process: noise
 * 11.6 to 13.4 Gbit/s with the JVM's default policy, 16.1 to 16.5 with this one; tls 7.6 to 9.0
 * against 13.0 to 13.3. Over 8 GiB each way the default policy wins (noise 6.4 s against 7.2 s, tls
 * 7.3 s against 8.4 s), so {@link Mode#auto} chooses this policy only for runs of up to
 * {@value #AUTO_LIMIT_BYTES} bytes in all.
 *
 * <p>It is applied through the JVM's diagnostic command {@code Compiler.directives_add} (as {@code
 * jcmd} does), so it takes effect for what is compiled from then on, once per JVM.
 */
final class ShortRunJit {
    /** Runs up to this many bytes, both ways together, use the short-run policy in {@link Mode#auto}. */
    static final long AUTO_LIMIT_BYTES = 8L << 30;

    /** The compiler directives: C2 for the JDK's crypto provider, C1 for every other method. */
    static final String DIRECTIVES = """
            [
              { match: ["com/sun/crypto/provider/*.*"], c2: { Exclude: false } },
              { match: ["*.*"], c2: { Exclude: true } }
            ]
            """;
    /** How many directives {@link #DIRECTIVES} adds (the JVM keeps them on a stack). */
    static final int DIRECTIVE_COUNT = 2;

    private static final AtomicBoolean applied = new AtomicBoolean();

    /** Which JIT policy a perf client runs with. */
    enum Mode {
        /** The short-run policy for runs up to {@link #AUTO_LIMIT_BYTES}, else the JVM's default. */
        auto,
        /** Always the short-run policy. */
        quick,
        /** The JVM's default: C2 for every hot method. */
        full;

        /** Whether a run of {@code up} and {@code down} bytes (each >= 0) uses the short-run policy. */
        boolean quickFor(long up, long down) {
            return this == quick || (this == auto && up <= AUTO_LIMIT_BYTES && down <= AUTO_LIMIT_BYTES - up);
        }
    }

    private ShortRunJit() {}

    /**
     * Adds the directives to this JVM unless it has them already; returns null when they are in
     * place, or why they are not (the run goes on with the JVM's default policy).
     */
    static String apply() {
        if (applied.get()) {
            return null;
        }
        synchronized (applied) {
            if (applied.get()) {
                return null;
            }
            Path file = null;
            try {
                file = Files.createTempFile("vine-jit", ".json");
                Files.writeString(file, DIRECTIVES, StandardCharsets.UTF_8);
                String answer = diagnosticCommand("compilerDirectivesAdd", file.toString());
                if (!answer.contains(DIRECTIVE_COUNT + " compiler directives added")) {
                    return "the JVM answered: " + answer.strip();
                }
                applied.set(true);
                return null;
            } catch (IOException | JMException | RuntimeException e) {
                return e.toString();
            } finally {
                if (file != null) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // a temporary file of a few hundred bytes; the JVM has read it
                    }
                }
            }
        }
    }

    /** Takes the directives back out of this JVM (for tests); true when they were in place. */
    static boolean remove() throws JMException {
        synchronized (applied) {
            if (!applied.get()) {
                return false;
            }
            for (int i = 0; i < DIRECTIVE_COUNT; i++) {
                diagnosticCommand("compilerDirectivesRemove");
            }
            applied.set(false);
            return true;
        }
    }

    /** Runs one of the JVM's diagnostic commands (the MBean operation behind a jcmd command). */
    static String diagnosticCommand(String operation, String... arguments) throws JMException {
        Object answer = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
                new Object[] {arguments}, new String[] {String[].class.getName()});
        return String.valueOf(answer);
    }
}

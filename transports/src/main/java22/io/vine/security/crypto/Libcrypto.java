package io.vine.security.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system's libcrypto (OpenSSL 3) through the Foreign Function &amp; Memory API (Java 22+): this
 * is the {@code META-INF/versions/22} layer of the multi-release jar, which replaces the Java 21 stub
 * of the same name. The library is looked up once, at first use, and must pass a known-answer test
 * (RFC 8439, section 2.8.2) before {@link ChaCha20Poly1305.Implementation#LIBCRYPTO} counts as
 * available.
 *
 * <p>The per-message calls are "critical" downcalls: they may be given heap memory directly (no
 * copies), run without a thread-state transition, and never call back into Java.
 */
final class Libcrypto {
    /** Shared names of libcrypto 3 on Linux, macOS and the BSDs. */
    private static final List<String> NAMES = List.of("libcrypto.so.3", "libcrypto.3.dylib", "libcrypto.so");
    static final AtomicLong LIVE_CONTEXTS = new AtomicLong();

    private Libcrypto() {}

    /** Null when the backend is usable, else why not. */
    static String unavailableReason() {
        return Loaded.REASON;
    }

    static ChaCha20Poly1305 create(byte[] key) {
        if (Loaded.REASON != null) {
            throw new IllegalStateException("libcrypto ChaCha20-Poly1305 is unavailable: " + Loaded.REASON);
        }
        return new LibcryptoChaCha20Poly1305(Loaded.FUNCTIONS, key);
    }

    static long liveContexts() {
        return LIVE_CONTEXTS.get();
    }

    /** The downcall handles of one loaded libcrypto. */
    record Functions(
            MethodHandle ctxNew,
            MethodHandle ctxFree,
            MemorySegment cipher,
            MethodHandle cipherInit,
            MethodHandle cipherUpdate,
            MethodHandle cipherFinal,
            MethodHandle ctrl,
            MethodHandle clearErrors) {

        static Functions load(SymbolLookup lib) throws Throwable {
            Linker linker = Linker.nativeLinker();
            Linker.Option critical = Linker.Option.critical(true);
            MethodHandle chachaPoly = linker.downcallHandle(find(lib, "EVP_chacha20_poly1305"), FunctionDescriptor.of(ADDRESS));
            return new Functions(
                    linker.downcallHandle(find(lib, "EVP_CIPHER_CTX_new"), FunctionDescriptor.of(ADDRESS)),
                    linker.downcallHandle(find(lib, "EVP_CIPHER_CTX_free"), FunctionDescriptor.ofVoid(ADDRESS)),
                    (MemorySegment) chachaPoly.invokeExact(),
                    // int EVP_CipherInit_ex(ctx, cipher, engine, key, iv, enc)
                    linker.downcallHandle(find(lib, "EVP_CipherInit_ex"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), critical),
                    // int EVP_CipherUpdate(ctx, out, int *outl, in, int inl)
                    linker.downcallHandle(find(lib, "EVP_CipherUpdate"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), critical),
                    // int EVP_CipherFinal_ex(ctx, out, int *outl)
                    linker.downcallHandle(find(lib, "EVP_CipherFinal_ex"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), critical),
                    // int EVP_CIPHER_CTX_ctrl(ctx, type, arg, ptr)
                    linker.downcallHandle(find(lib, "EVP_CIPHER_CTX_ctrl"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), critical),
                    linker.downcallHandle(find(lib, "ERR_clear_error"), FunctionDescriptor.ofVoid(), critical));
        }

        private static MemorySegment find(SymbolLookup lib, String name) {
            return lib.find(name).orElseThrow(() -> new IllegalStateException("libcrypto has no " + name));
        }
    }

    /** Loads the library and runs the self-test once, when first asked. */
    private static final class Loaded {
        static final Functions FUNCTIONS;
        static final String REASON;

        static {
            Functions functions = null;
            String reason;
            try {
                functions = Functions.load(lookup());
                reason = SelfTest.run(functions);
            } catch (Throwable e) { // a missing library, symbol or native access: the backend is unavailable
                reason = e.toString();
            }
            FUNCTIONS = reason == null ? functions : null;
            REASON = reason;
        }

        private static SymbolLookup lookup() {
            List<String> failures = new ArrayList<>();
            for (String name : NAMES) {
                try {
                    return SymbolLookup.libraryLookup(name, Arena.global());
                } catch (IllegalArgumentException e) {
                    failures.add(name);
                }
            }
            throw new IllegalStateException("no libcrypto found (tried " + String.join(", ", failures) + ")");
        }
    }
}

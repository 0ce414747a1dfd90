package io.vine.security;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vine.core.crypto.KeyType;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.VineException;

/** Key generation for tests; skips the test when a key type is not implemented yet. */
public final class TestKeys {
    private TestKeys() {}

    public static PrivKey generate(KeyType type) {
        try {
            return Keys.generate(type);
        } catch (VineException | UnsupportedOperationException e) {
            assumeTrue(false, type + " keys are not available: " + e.getMessage());
            throw e;
        }
    }
}

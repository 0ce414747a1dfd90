package io.vine.protocol.autonat;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Settings of {@link AutoNat}: which roles it plays, the server's limits (amplification protection,
 * rate limits) and the client's heuristics. Immutable; {@link #DEFAULT} or {@link #builder()}.
 *
 * @param server answer dial requests of other peers
 * @param client test this node's own addresses with servers among the connected peers
 * @param allowPrivateAddresses test and dial loopback and private addresses (tests, private networks);
 *     the spec says public addresses only
 * @param dialDataBytes how many bytes the server asks for before it dials an IP other than the
 *     client's observed one (the spec suggests 30 000 to 100 000)
 * @param maxDialDataBytes the most the client pays in dial data; a server asking more is refused
 * @param maxAddressesPerRequest a request with more addresses is rejected
 * @param requestsPerPeerPerMinute requests one peer may make per minute
 * @param requestsPerMinute requests all peers together may make per minute
 * @param dialDataRequestsPerMinute requests that need dial data (other IPs), per minute, all peers
 * @param maxConcurrentRequests requests served at the same time, all peers
 * @param dialTimeout how long the server tries to dial back
 * @param requestTimeout how long one whole request may take, on either side
 * @param confirmations how many distinct servers must agree before an address is PUBLIC or PRIVATE
 * @param observerThreshold how many distinct observer IPs must report an observed address before
 *     the client tests it
 * @param checkInterval how often the client looks for an address to test; also the first wait
 *     before a server that gave no verdict is asked again (the wait doubles with each failure in a row)
 * @param recheckInterval how long a verdict stands before the address is tested again; also the
 *     longest wait before a server that gave no verdict is asked again
 */
public record AutoNatConfig(
        boolean server,
        boolean client,
        boolean allowPrivateAddresses,
        int dialDataBytes,
        int maxDialDataBytes,
        int maxAddressesPerRequest,
        int requestsPerPeerPerMinute,
        int requestsPerMinute,
        int dialDataRequestsPerMinute,
        int maxConcurrentRequests,
        Duration dialTimeout,
        Duration requestTimeout,
        int confirmations,
        int observerThreshold,
        Duration checkInterval,
        Duration recheckInterval) {

    /** The most dial data a server may ask for (bounds both roles). */
    public static final int MAX_DIAL_DATA_BYTES = 1 << 20;
    /** The most data one DialDataResponse may carry (the spec's 4096). */
    public static final int MAX_DATA_CHUNK = 4096;

    public static final AutoNatConfig DEFAULT = builder().build();

    public AutoNatConfig {
        requireRange("dialDataBytes", dialDataBytes, 1, MAX_DIAL_DATA_BYTES);
        requireRange("maxDialDataBytes", maxDialDataBytes, 0, MAX_DIAL_DATA_BYTES);
        requireRange("maxAddressesPerRequest", maxAddressesPerRequest, 1, 256);
        requireRange("requestsPerPeerPerMinute", requestsPerPeerPerMinute, 1, 100_000);
        requireRange("requestsPerMinute", requestsPerMinute, 1, 1_000_000);
        requireRange("dialDataRequestsPerMinute", dialDataRequestsPerMinute, 0, 1_000_000);
        requireRange("maxConcurrentRequests", maxConcurrentRequests, 1, 10_000);
        requirePositive("dialTimeout", dialTimeout);
        requirePositive("requestTimeout", requestTimeout);
        requireRange("confirmations", confirmations, 1, 32);
        requireRange("observerThreshold", observerThreshold, 1, 32);
        requirePositive("checkInterval", checkInterval);
        requirePositive("recheckInterval", recheckInterval);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.server = server;
        b.client = client;
        b.allowPrivateAddresses = allowPrivateAddresses;
        b.dialDataBytes = dialDataBytes;
        b.maxDialDataBytes = maxDialDataBytes;
        b.maxAddressesPerRequest = maxAddressesPerRequest;
        b.requestsPerPeerPerMinute = requestsPerPeerPerMinute;
        b.requestsPerMinute = requestsPerMinute;
        b.dialDataRequestsPerMinute = dialDataRequestsPerMinute;
        b.maxConcurrentRequests = maxConcurrentRequests;
        b.dialTimeout = dialTimeout;
        b.requestTimeout = requestTimeout;
        b.confirmations = confirmations;
        b.observerThreshold = observerThreshold;
        b.checkInterval = checkInterval;
        b.recheckInterval = recheckInterval;
        return b;
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + min + ".." + max + ")");
        }
    }

    private static void requirePositive(String name, Duration value) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    /** Builds an {@link AutoNatConfig}; every setting starts at the documented default. */
    public static final class Builder {
        private boolean server = true;
        private boolean client = true;
        private boolean allowPrivateAddresses;
        private int dialDataBytes = 30_000;
        private int maxDialDataBytes = 100_000;
        private int maxAddressesPerRequest = 16;
        private int requestsPerPeerPerMinute = 12;
        private int requestsPerMinute = 60;
        private int dialDataRequestsPerMinute = 12;
        private int maxConcurrentRequests = 8;
        private Duration dialTimeout = Duration.ofSeconds(15);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int confirmations = 3;
        private int observerThreshold = 2;
        private Duration checkInterval = Duration.ofSeconds(15);
        private Duration recheckInterval = Duration.ofMinutes(30);

        Builder() {}

        public Builder server(boolean v) { server = v; return this; }

        public Builder client(boolean v) { client = v; return this; }

        public Builder allowPrivateAddresses(boolean v) { allowPrivateAddresses = v; return this; }

        public Builder dialDataBytes(int v) { dialDataBytes = v; return this; }

        public Builder maxDialDataBytes(int v) { maxDialDataBytes = v; return this; }

        public Builder maxAddressesPerRequest(int v) { maxAddressesPerRequest = v; return this; }

        public Builder requestsPerPeerPerMinute(int v) { requestsPerPeerPerMinute = v; return this; }

        public Builder requestsPerMinute(int v) { requestsPerMinute = v; return this; }

        public Builder dialDataRequestsPerMinute(int v) { dialDataRequestsPerMinute = v; return this; }

        public Builder maxConcurrentRequests(int v) { maxConcurrentRequests = v; return this; }

        public Builder dialTimeout(Duration v) { dialTimeout = v; return this; }

        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }

        public Builder confirmations(int v) { confirmations = v; return this; }

        public Builder observerThreshold(int v) { observerThreshold = v; return this; }

        public Builder checkInterval(Duration v) { checkInterval = v; return this; }

        public Builder recheckInterval(Duration v) { recheckInterval = v; return this; }

        public AutoNatConfig build() {
            return new AutoNatConfig(server, client, allowPrivateAddresses, dialDataBytes, maxDialDataBytes,
                    maxAddressesPerRequest, requestsPerPeerPerMinute, requestsPerMinute, dialDataRequestsPerMinute,
                    maxConcurrentRequests, dialTimeout, requestTimeout, confirmations, observerThreshold,
                    checkInterval, recheckInterval);
        }
    }
}

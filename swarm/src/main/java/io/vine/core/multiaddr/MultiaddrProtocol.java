package io.vine.core.multiaddr;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The multiaddr protocols vine knows, with their multicodec code, text name and value size.
 * {@link #size()} is the value's fixed size in bits, {@code 0} for protocols without a value, or
 * {@link #VARIABLE} for values that carry a varint length prefix in the binary form.
 */
public enum MultiaddrProtocol {
    IP4(0x04, "ip4", 32),
    TCP(0x06, "tcp", 16),
    DCCP(0x21, "dccp", 16),
    IP6(0x29, "ip6", 128),
    IP6ZONE(0x2a, "ip6zone", -1),
    IPCIDR(0x2b, "ipcidr", 8),
    DNS(0x35, "dns", -1),
    DNS4(0x36, "dns4", -1),
    DNS6(0x37, "dns6", -1),
    DNSADDR(0x38, "dnsaddr", -1),
    SCTP(0x84, "sctp", 16),
    UDP(0x0111, "udp", 16),
    P2P_WEBRTC_DIRECT(0x0114, "p2p-webrtc-direct", 0),
    WEBRTC_DIRECT(0x0118, "webrtc-direct", 0),
    WEBRTC(0x0119, "webrtc", 0),
    P2P_CIRCUIT(0x0122, "p2p-circuit", 0),
    UDT(0x012d, "udt", 0),
    UTP(0x012e, "utp", 0),
    /** A filesystem path: it takes the rest of the text form and must be the last component. */
    UNIX(0x0190, "unix", -1),
    /** A peer id; {@code ipfs} is accepted as its name on parse. */
    P2P(0x01a5, "p2p", -1),
    HTTPS(0x01bb, "https", 0),
    TLS(0x01c0, "tls", 0),
    SNI(0x01c1, "sni", -1),
    NOISE(0x01c6, "noise", 0),
    QUIC(0x01cc, "quic", 0),
    QUIC_V1(0x01cd, "quic-v1", 0),
    WEBTRANSPORT(0x01d1, "webtransport", 0),
    /** A multihash of a certificate, written as multibase text (base64url when formatted). */
    CERTHASH(0x01d2, "certhash", -1),
    WS(0x01dd, "ws", 0),
    WSS(0x01de, "wss", 0),
    HTTP(0x01e0, "http", 0),
    /** A percent-encoded HTTP path; the binary form holds the decoded bytes. */
    HTTP_PATH(0x01e1, "http-path", -1),
    /** The in-memory transport of libp2p; its value is an unsigned 64-bit number. */
    MEMORY(0x0309, "memory", 64);

    /** The {@link #size()} of protocols whose value is length-prefixed. */
    public static final int VARIABLE = -1;

    private static final Map<Integer, MultiaddrProtocol> BY_CODE = new HashMap<>();
    private static final Map<String, MultiaddrProtocol> BY_NAME = new HashMap<>();

    static {
        for (MultiaddrProtocol p : values()) {
            BY_CODE.put(p.code, p);
            BY_NAME.put(p.protocolName, p);
        }
        BY_NAME.put("ipfs", P2P);
    }

    private final int code;
    private final String protocolName;
    private final int size;

    MultiaddrProtocol(int code, String protocolName, int size) {
        this.code = code;
        this.protocolName = protocolName;
        this.size = size;
    }

    /** The multicodec code, written as a varint in the binary form. */
    public int code() {
        return code;
    }

    /** The name in the text form, e.g. {@code "quic-v1"}. */
    public String protocolName() {
        return protocolName;
    }

    /** The value size in bits; {@code 0} when there is no value; {@link #VARIABLE} when length-prefixed. */
    public int size() {
        return size;
    }

    /** True when the protocol carries a value. */
    public boolean hasValue() {
        return size != 0;
    }

    /** True for path protocols ({@code unix}), whose value is the rest of the text form. */
    public boolean isPath() {
        return this == UNIX;
    }

    /** The protocol of a text name ({@code ipfs} gives {@link #P2P}). */
    public static Optional<MultiaddrProtocol> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(requireNonNull(name, "name")));
    }

    /** The protocol of a multicodec code. */
    public static Optional<MultiaddrProtocol> byCode(long code) {
        return code < 0 || code > Integer.MAX_VALUE ? Optional.empty() : Optional.ofNullable(BY_CODE.get((int) code));
    }

    /** The text name. */
    @Override
    public String toString() {
        return protocolName;
    }

    private static final class Size {
        static final int VAR = -1;
    }
}

package io.vine.core.multiaddr;

import static java.util.Objects.requireNonNull;

import io.vine.core.multiformats.Varint;
import java.util.Arrays;

/**
 * One protocol of a multiaddr with its binary value (empty for protocols without a value), e.g.
 * {@code /tcp/4001}. The value is validated and defensively copied; {@link #toString()} gives the
 * text form.
 *
 * @param protocol the protocol
 * @param value the binary value: exactly what follows the protocol code (and length prefix) in the
 *     binary form of a multiaddr
 */
public record Component(MultiaddrProtocol protocol, byte[] value) {
    /**
     * Checks and copies the value.
     *
     * @throws MultiaddrFormatException if the value does not suit the protocol
     */
    public Component {
        requireNonNull(protocol, "protocol");
        requireNonNull(value, "value");
        value = value.clone();
        Values.validate(protocol, value);
    }

    /** A component of a protocol without a value, such as {@code /quic-v1}. */
    public static Component of(MultiaddrProtocol protocol) {
        return new Component(protocol, new byte[0]);
    }

    /**
     * A component from the text form of its value, such as {@code of(TCP, "4001")}.
     *
     * @throws MultiaddrFormatException if the text is not a valid value of the protocol
     */
    public static Component of(MultiaddrProtocol protocol, String text) {
        requireNonNull(protocol, "protocol");
        requireNonNull(text, "text");
        if (!protocol.hasValue()) {
            throw new MultiaddrFormatException("invalid " + protocol + " value: '" + text + "' (expected: none)");
        }
        return new Component(protocol, Values.fromText(protocol, text));
    }

    /** A copy of the binary value. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The text form of the value ({@code "4001"}, {@code "12D3KooW..."}), empty when there is none. */
    public String valueText() {
        return protocol.hasValue() ? Values.toText(protocol, value) : "";
    }

    /** The text form: {@code /<name>} followed by {@code /<value>} when there is a value. */
    @Override
    public String toString() {
        if (!protocol.hasValue()) {
            return "/" + protocol.protocolName();
        }
        String text = valueText();
        // A path value starts with '/' itself.
        return "/" + protocol.protocolName() + (protocol.isPath() ? "" : "/") + text;
    }

    int encodedLength() {
        int n = Varint.encodedLength(protocol.code()) + value.length;
        return protocol.size() < 0 ? n + Varint.encodedLength(value.length) : n;
    }

    byte[] rawValue() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Component c && c.protocol == protocol && Arrays.equals(c.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * protocol.code() + Arrays.hashCode(value);
    }
}

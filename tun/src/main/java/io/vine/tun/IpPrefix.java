package io.vine.tun;

import static java.util.Objects.requireNonNull;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IP address with a prefix length, such as {@code 10.99.0.1/24} or {@code fd00:99::1/64}. As a
 * device address the host bits matter; as a route only {@link #network()} does.
 *
 * @param address an IPv4 or IPv6 address (a literal, never resolved through DNS)
 * @param length the prefix length: 0..32 for IPv4, 0..128 for IPv6
 */
public record IpPrefix(InetAddress address, int length) {
    public IpPrefix {
        requireNonNull(address, "address");
        int max = maxLength(address);
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("length: " + length + " (expected: 0.." + max + " for "
                    + address.getHostAddress() + ")");
        }
    }

    /** Parses {@code "10.99.0.1/24"} or {@code "fd00::1/64"}; an address without "/n" is a host prefix. */
    public static IpPrefix parse(String text) {
        requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("prefix: '" + text + "' (expected: an IP literal with an optional /length)", e);
        }
        if (slash < 0) {
            return new IpPrefix(address, maxLength(address));
        }
        try {
            return new IpPrefix(address, Integer.parseInt(text.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("prefix: '" + text + "' (expected: a decimal prefix length after '/')", e);
        }
    }

    /** True for an IPv4 prefix. */
    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /** This prefix with the host bits cleared: {@code 10.99.0.1/24 -> 10.99.0.0/24}. */
    public IpPrefix network() {
        byte[] bytes = masked(address.getAddress(), length);
        try {
            return new IpPrefix(InetAddress.getByAddress(bytes), length);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether {@code other} lies in this prefix (same family, same leading {@link #length()} bits). */
    public boolean contains(InetAddress other) {
        requireNonNull(other, "other");
        byte[] a = address.getAddress();
        byte[] b = other.getAddress();
        return a.length == b.length
                && Arrays.equals(masked(a, length), masked(b, length));
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }

    private static int maxLength(InetAddress address) {
        return address instanceof Inet4Address ? 32 : 128;
    }

    private static byte[] masked(byte[] bytes, int length) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, length - i * 8));
            out[i] &= (byte) (0xFF00 >>> keep);
        }
        return out;
    }
}

package io.vine.core.multiaddr;

import io.netty.util.NetUtil;
import io.vine.core.multiformats.Multihash;
import io.vine.core.peer.PeerId;
import io.vine.core.VineException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Text and binary forms of component values, per protocol. Messages name the protocol, not the address. */
final class Values {
    private Values() {}

    /** Encodes the text value of {@code p}; throws {@link MultiaddrFormatException} when invalid. */
    static byte[] fromText(MultiaddrProtocol p, String text) {
        byte[] value = switch (p) {
            case IP4 -> ip4(text);
            case IP6 -> ip6(text);
            case TCP, UDP, DCCP, SCTP -> uint(p, text, 0xFFFF, 2);
            case IPCIDR -> uint(p, text, 0xFF, 1);
            case MEMORY -> memory(text);
            case P2P -> peerId(text).toBytes();
            case CERTHASH -> Multibase.decode(text);
            case HTTP_PATH -> Percent.decode(text);
            default -> text.getBytes(StandardCharsets.UTF_8);
        };
        validate(p, value);
        return value;
    }

    /** Checks a binary value of {@code p}; throws {@link MultiaddrFormatException} when invalid. */
    static void validate(MultiaddrProtocol p, byte[] value) {
        int size = p.size();
        if (size == 0 && value.length != 0) {
            throw invalid(p, value.length + " value bytes (expected: none)");
        }
        if (size > 0 && value.length * 8 != size) {
            throw invalid(p, value.length + " value bytes (expected: " + size / 8 + ")");
        }
        switch (p) {
            case DNS, DNS4, DNS6, DNSADDR, SNI, IP6ZONE -> {
                String s = utf8(p, value);
                if (s.isEmpty() || s.indexOf('/') >= 0) {
                    throw invalid(p, "'" + s + "' (expected: non-empty, without '/')");
                }
            }
            case UNIX -> {
                String s = utf8(p, value);
                if (s.length() < 2 || s.charAt(0) != '/' || s.endsWith("/")) {
                    throw invalid(p, "path '" + s + "' (expected: '/' then a name, no trailing '/')");
                }
            }
            case HTTP_PATH -> {
                if (value.length == 0) {
                    throw invalid(p, "empty path");
                }
            }
            case P2P -> {
                try {
                    PeerId.fromBytes(value);
                } catch (VineException e) {
                    throw new MultiaddrFormatException("invalid p2p value: " + e.getMessage(), e);
                }
            }
            case CERTHASH -> {
                try {
                    Multihash.decode(value);
                } catch (IllegalArgumentException e) {
                    throw new MultiaddrFormatException("invalid certhash value: " + e.getMessage(), e);
                }
            }
            default -> { }
        }
    }

    /** The text form of a value that passed {@link #validate}. */
    static String toText(MultiaddrProtocol p, byte[] value) {
        return switch (p) {
            case IP4 -> (value[0] & 0xFF) + "." + (value[1] & 0xFF) + "." + (value[2] & 0xFF) + "." + (value[3] & 0xFF);
            case IP6 -> ip6Text(value);
            case TCP, UDP, DCCP, SCTP -> Integer.toString(((value[0] & 0xFF) << 8) | (value[1] & 0xFF));
            case IPCIDR -> Integer.toString(value[0] & 0xFF);
            case MEMORY -> Long.toUnsignedString(ByteBuffer.wrap(value).getLong());
            case P2P -> PeerId.fromBytes(value).toBase58();
            case CERTHASH -> Multibase.encodeBase64Url(value);
            case HTTP_PATH -> Percent.encode(value);
            default -> new String(value, StandardCharsets.UTF_8);
        };
    }

    private static byte[] ip4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw invalid(MultiaddrProtocol.IP4, "'" + text + "' (expected: a dotted-quad IPv4 address)");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0') || Integer.parseInt(part) > 255) {
                throw invalid(MultiaddrProtocol.IP4, "'" + text + "' (expected: a dotted-quad IPv4 address)");
            }
            out[i] = (byte) Integer.parseInt(part);
        }
        return out;
    }

    private static byte[] ip6(String text) {
        // NetUtil parses literals only (never a DNS lookup); brackets and zones are not part of the value.
        byte[] bytes = text.indexOf('[') < 0 && text.indexOf('%') < 0 && NetUtil.isValidIpV6Address(text)
                ? NetUtil.createByteArrayFromIpAddressString(text) : null;
        if (bytes == null || bytes.length != 16) {
            throw invalid(MultiaddrProtocol.IP6, "'" + text + "' (expected: an IPv6 address)");
        }
        return bytes;
    }

    private static String ip6Text(byte[] value) {
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= value[i] == 0;
        }
        if (mapped && value[10] == (byte) 0xFF && value[11] == (byte) 0xFF) {
            return "::ffff:" + toText(MultiaddrProtocol.IP4, Arrays.copyOfRange(value, 12, 16));
        }
        return NetUtil.bytesToIpAddress(value);
    }

    private static byte[] uint(MultiaddrProtocol p, String text, int max, int bytes) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(text) > max) {
            throw invalid(p, "'" + text + "' (expected: 0.." + max + ")");
        }
        int v = Integer.parseInt(text);
        return bytes == 2 ? new byte[] {(byte) (v >>> 8), (byte) v} : new byte[] {(byte) v};
    }

    private static byte[] memory(String text) {
        try {
            if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new NumberFormatException();
            }
            return ByteBuffer.allocate(8).putLong(Long.parseUnsignedLong(text)).array();
        } catch (NumberFormatException e) {
            throw invalid(MultiaddrProtocol.MEMORY, "'" + text + "' (expected: 0..18446744073709551615)");
        }
    }

    private static PeerId peerId(String text) {
        try {
            return PeerId.parse(text);
        } catch (VineException e) {
            throw new MultiaddrFormatException("invalid p2p value: " + e.getMessage(), e);
        }
    }

    private static String utf8(MultiaddrProtocol p, byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw invalid(p, "value is not UTF-8");
        }
    }

    static MultiaddrFormatException invalid(MultiaddrProtocol p, String detail) {
        return new MultiaddrFormatException("invalid " + p.protocolName() + " value: " + detail);
    }
}

package io.vine.core.multiaddr;

import io.netty.handler.codec.CorruptedFrameException;
import io.vine.core.multiformats.Varint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Parses and writes the text and binary forms, within {@link Multiaddr}'s bounds. */
final class MultiaddrCodec {
    private MultiaddrCodec() {}

    static List<Component> parseText(String text) {
        if (text.length() > Multiaddr.MAX_LENGTH) {
            throw new MultiaddrFormatException("multiaddr: " + text.length() + " characters (expected: <= "
                    + Multiaddr.MAX_LENGTH + ")");
        }
        try {
            return parseTextUnchecked(text);
        } catch (MultiaddrFormatException e) {
            throw new MultiaddrFormatException("multiaddr '" + text + "': " + e.getMessage(), e);
        }
    }

    private static List<Component> parseTextUnchecked(String text) {
        if (!text.startsWith("/")) {
            throw new MultiaddrFormatException("must begin with '/'");
        }
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '/') {
            end--;
        }
        if (end == 0) {
            throw new MultiaddrFormatException("empty (expected: at least one component)");
        }
        String[] parts = text.substring(1, end).split("/", -1);
        List<Component> out = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String name = parts[i];
            MultiaddrProtocol p = MultiaddrProtocol.byName(name)
                    .orElseThrow(() -> new MultiaddrFormatException("unknown protocol '" + name + "'"));
            if (!p.hasValue()) {
                out.add(Component.of(p));
            } else if (i + 1 >= parts.length) {
                throw new MultiaddrFormatException("missing value after /" + name);
            } else if (p.isPath()) {
                out.add(new Component(p, unixPath(Arrays.asList(parts).subList(i + 1, parts.length))));
                break;
            } else {
                out.add(Component.of(p, parts[++i]));
            }
            checkCount(out.size());
        }
        return out;
    }

    /**
     * A unix path: the rest of the text (go-multiaddr's form, {@code /unix/tmp/s.sock}), or one
     * percent-encoded segment (js-multiaddr's form, {@code /unix/%2Ftmp%2Fs.sock}).
     */
    private static byte[] unixPath(List<String> segments) {
        String first = segments.get(0);
        if (segments.size() == 1 && first.regionMatches(true, 0, "%2F", 0, 3)) {
            return Percent.decode(first);
        }
        return ("/" + String.join("/", segments)).getBytes(StandardCharsets.UTF_8);
    }

    static List<Component> parseBinary(byte[] bytes) {
        if (bytes.length == 0) {
            throw new MultiaddrFormatException("multiaddr: empty (expected: at least one component)");
        }
        if (bytes.length > Multiaddr.MAX_LENGTH) {
            throw new MultiaddrFormatException("multiaddr: " + bytes.length + " bytes (expected: <= "
                    + Multiaddr.MAX_LENGTH + ")");
        }
        List<Component> out = new ArrayList<>();
        int pos = 0;
        while (pos < bytes.length) {
            if (!out.isEmpty() && out.get(out.size() - 1).protocol().isPath()) {
                throw new MultiaddrFormatException("multiaddr: component after the path component at byte " + pos);
            }
            long code = varint(bytes, pos, "protocol code");
            pos += Varint.encodedLength(code);
            final int at = pos;
            MultiaddrProtocol p = MultiaddrProtocol.byCode(code).orElseThrow(() -> new MultiaddrFormatException(
                    "multiaddr: unknown protocol code 0x" + Long.toHexString(code) + " at byte " + at));
            int length;
            if (p.size() >= 0) {
                length = p.size() / 8;
            } else {
                long declared = varint(bytes, pos, p + " value length");
                pos += Varint.encodedLength(declared);
                if (declared > bytes.length - pos) {
                    throw new MultiaddrFormatException("multiaddr: " + p + " value of " + declared
                            + " bytes but " + (bytes.length - pos) + " remain");
                }
                length = (int) declared;
            }
            if (length > bytes.length - pos) {
                throw new MultiaddrFormatException("multiaddr: truncated " + p + " value (" + length
                        + " bytes expected, " + (bytes.length - pos) + " remain)");
            }
            try {
                out.add(new Component(p, Arrays.copyOfRange(bytes, pos, pos + length)));
            } catch (MultiaddrFormatException e) {
                throw new MultiaddrFormatException("multiaddr: " + e.getMessage(), e);
            }
            pos += length;
            if (out.size() > Multiaddr.MAX_COMPONENTS) {
                throw new MultiaddrFormatException("multiaddr: more than " + Multiaddr.MAX_COMPONENTS + " components");
            }
        }
        return out;
    }

    private static long varint(byte[] bytes, int pos, String what) {
        try {
            return Varint.decode(bytes, pos);
        } catch (CorruptedFrameException e) {
            throw new MultiaddrFormatException("multiaddr: " + what + " at byte " + pos + ": " + e.getMessage(), e);
        }
    }

    static void checkCount(int count) {
        if (count > Multiaddr.MAX_COMPONENTS) {
            throw new MultiaddrFormatException("more than " + Multiaddr.MAX_COMPONENTS + " components");
        }
    }

    static byte[] toBytes(List<Component> components) {
        int length = 0;
        for (Component c : components) {
            length += c.encodedLength();
        }
        byte[] out = new byte[length];
        int pos = 0;
        for (Component c : components) {
            pos = put(out, pos, Varint.encode(c.protocol().code()));
            if (c.protocol().size() < 0) {
                pos = put(out, pos, Varint.encode(c.rawValue().length));
            }
            pos = put(out, pos, c.rawValue());
        }
        return out;
    }

    private static int put(byte[] out, int pos, byte[] src) {
        System.arraycopy(src, 0, out, pos, src.length);
        return pos + src.length;
    }
}

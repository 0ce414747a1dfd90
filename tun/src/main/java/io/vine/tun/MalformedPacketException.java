package io.vine.tun;

/** A buffer is not a well-formed IPv4 or IPv6 packet (truncated, wrong version, lengths that disagree). */
public final class MalformedPacketException extends TunException {
    public MalformedPacketException(String message) {
        super(message);
    }
}

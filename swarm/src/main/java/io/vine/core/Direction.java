package io.vine.core;

/** Which side opened a connection or stream. */
public enum Direction {
    INBOUND,
    OUTBOUND
}

package io.vine.protocol.relay;

import java.util.Optional;

/** The status codes of circuit relay v2 (libp2p/specs relay/circuit-v2.md, "Protobuf"). */
public enum RelayStatus {
    OK(100),
    RESERVATION_REFUSED(200),
    RESOURCE_LIMIT_EXCEEDED(201),
    PERMISSION_DENIED(202),
    CONNECTION_FAILED(203),
    NO_RESERVATION(204),
    MALFORMED_MESSAGE(400),
    UNEXPECTED_MESSAGE(401);

    private final int code;

    RelayStatus(int code) {
        this.code = code;
    }

    /** The code on the wire. */
    public int code() {
        return code;
    }

    /** The status of a wire code, or empty for a code the spec does not define. */
    public static Optional<RelayStatus> of(int code) {
        for (RelayStatus s : values()) {
            if (s.code == code) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}

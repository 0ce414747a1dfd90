package io.vine.protocol.relay;

import io.vine.core.VineException;
import java.util.Optional;

/**
 * A relay refused or failed a reservation or a circuit, or sent something this node does not accept
 * (a malformed message, a voucher that does not check out). {@link #status()} is the status the relay
 * answered with, when it answered one.
 */
public class RelayException extends VineException {
    private final RelayStatus status;

    public RelayException(String message) {
        this(message, null, null);
    }

    public RelayException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public RelayException(String message, RelayStatus status) {
        this(message, status, null);
    }

    public RelayException(String message, RelayStatus status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The status the remote answered with, if the failure came as one. */
    public Optional<RelayStatus> status() {
        return Optional.ofNullable(status);
    }
}

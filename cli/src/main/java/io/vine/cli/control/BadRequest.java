package io.vine.cli.control;

import io.vine.core.VineException;

/** A request the control API refuses with {@link #status}. */
final class BadRequest extends VineException {
    final int status;

    BadRequest(int status, String message) {
        super(message);
        this.status = status;
    }
}

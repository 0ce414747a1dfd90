package io.vine.swarm.multistream;

import io.vine.core.VineException;
import java.util.List;

/**
 * multistream-select ended without an agreed protocol: the peer refused every proposal (dialer
 * side), or proposed only protocols this side does not support, more often than the bound allows
 * (listener side).
 */
public class NegotiationException extends VineException {
    private final List<String> refused;

    public NegotiationException(String message, List<String> refused) {
        super(message + " (refused: " + refused + ")");
        this.refused = List.copyOf(refused);
    }

    /** The protocols that were refused, in the order they were proposed. */
    public List<String> refused() {
        return refused;
    }
}

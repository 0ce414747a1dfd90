package io.vine.protocol.dcutr;

import static java.util.Objects.requireNonNull;

import io.vine.core.SwarmEvent;
import io.vine.core.peer.PeerId;

/**
 * A hole punch to {@code peer} gave up; traffic keeps using the relayed connection.
 *
 * @param reason one of {@link DcutrCounters}' reason keys (e.g. {@code dial-failed})
 * @param detail what happened, for people
 */
public record HolePunchFailed(PeerId peer, String reason, String detail) implements SwarmEvent {
    public HolePunchFailed {
        requireNonNull(peer, "peer");
        requireNonNull(reason, "reason");
        requireNonNull(detail, "detail");
    }
}

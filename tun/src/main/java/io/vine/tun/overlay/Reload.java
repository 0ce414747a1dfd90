package io.vine.tun.overlay;

import io.vine.core.peer.PeerId;
import java.util.List;

/**
 * What {@link VineNode#reload} applied.
 *
 * @param added peers new on the allowlist: they have sessions and are being dialed
 * @param removed peers no longer on the allowlist: disconnected, their routes withdrawn
 * @param changed peers whose prefix or relay flag changed: sessions kept, routes outside the new prefix withdrawn
 * @param kept how many peers stayed as they were (sessions untouched)
 * @param bootstrapChanged whether the static bootstrap addresses or seed records changed
 * @param strictChanged whether {@link VineConfig#strictAllowlist()} changed (turned on: strangers were disconnected)
 */
public record Reload(List<PeerId> added, List<PeerId> removed, List<PeerId> changed, int kept, boolean bootstrapChanged,
        boolean strictChanged) {
    public Reload {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    /** Whether anything changed. */
    public boolean changedAnything() {
        return !added.isEmpty() || !removed.isEmpty() || !changed.isEmpty() || bootstrapChanged || strictChanged;
    }

    @Override
    public String toString() {
        return changedAnything() ? "added " + added + ", removed " + removed + ", changed " + changed + ", kept " + kept
                + (bootstrapChanged ? ", bootstrap peers changed" : "") + (strictChanged ? ", strict allowlist changed" : "")
                : "unchanged (" + kept + " peers kept)";
    }
}

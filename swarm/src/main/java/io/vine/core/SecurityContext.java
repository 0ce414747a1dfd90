package io.vine.core;

import static java.util.Objects.requireNonNull;

import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.PeerId;
import java.util.List;
import java.util.Optional;

/**
 * What a security handshake needs to know.
 *
 * @param localKey the local identity key, which signs the handshake payload
 * @param initiator whether this side dialed
 * @param expectedRemote the peer the dialer expects; the handshake fails if another answers
 * @param muxers the stream muxer protocol ids this side supports, in preference order, for security
 *     protocols that negotiate the muxer inside the handshake (noise extensions, TLS ALPN)
 */
public record SecurityContext(PrivKey localKey, boolean initiator, Optional<PeerId> expectedRemote, List<String> muxers) {
    public SecurityContext {
        requireNonNull(localKey, "localKey");
        requireNonNull(expectedRemote, "expectedRemote");
        muxers = List.copyOf(muxers);
    }
}

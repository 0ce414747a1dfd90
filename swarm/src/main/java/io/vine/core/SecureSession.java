package io.vine.core;

import static java.util.Objects.requireNonNull;

import io.vine.core.crypto.PubKey;
import io.vine.core.peer.PeerId;
import java.util.Optional;

/**
 * The result of a security handshake.
 *
 * @param localPeer this node
 * @param remotePeer the authenticated remote peer
 * @param remoteKey the remote's identity key
 * @param earlyMuxer the stream muxer agreed inside the handshake, if any; then multistream-select for
 *     the muxer is skipped
 */
public record SecureSession(PeerId localPeer, PeerId remotePeer, PubKey remoteKey, Optional<String> earlyMuxer) {
    public SecureSession {
        requireNonNull(localPeer, "localPeer");
        requireNonNull(remotePeer, "remotePeer");
        requireNonNull(remoteKey, "remoteKey");
        requireNonNull(earlyMuxer, "earlyMuxer");
    }
}

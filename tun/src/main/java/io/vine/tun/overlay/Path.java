package io.vine.tun.overlay;

import io.vine.core.Connection;
import io.vine.core.StreamChannel;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.tun.control.ControlMessage;
import io.vine.tun.session.PathKind;

/**
 * One way to reach a peer: a connection (direct or relayed), this side's outbound control and packet
 * streams on it, and the hello the peer sent on it. Fields are set on the node's event loop and read
 * from the TUN readers (volatile).
 */
final class Path {
    final Connection connection;
    /** DIRECT or RELAY from the address; a DIRECT path a hole punch produced becomes SIGNALING_ASSISTED. */
    volatile PathKind kind;
    volatile StreamChannel control;
    volatile StreamChannel packets;
    volatile ControlMessage.Hello hello;
    /** Whether superpackets travel whole on this path: both ends offload. */
    volatile boolean offload;
    volatile long lastHeard = System.nanoTime();
    /** Reported failed and closed; its connection's end is on the way. Event loop only. */
    boolean failed;
    /** Set when the peer was refused on this path: what else it sent is ignored. */
    volatile boolean refused;

    Path(Connection connection, boolean punched) {
        this.connection = connection;
        PathKind k = kindOf(connection);
        this.kind = punched && k == PathKind.DIRECT ? PathKind.SIGNALING_ASSISTED : k;
    }

    static PathKind kindOf(Connection connection) {
        return connection.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT) ? PathKind.RELAY : PathKind.DIRECT;
    }

    /** Whether the path can carry packets: hello accepted and our packet stream open. */
    boolean ready() {
        StreamChannel p = packets;
        return hello != null && p != null && p.isActive() && connection.isOpen();
    }

    DebugSnapshot.PathView view(boolean preferred) {
        return new DebugSnapshot.PathView(kind, connection.id(), connection.remoteAddress().toString(), ready(), offload,
                preferred);
    }

    @Override
    public String toString() {
        return kind + "(" + connection.id() + " " + connection.remoteAddress() + ")";
    }
}

package io.vine.protocol.dcutr;

import io.vine.core.multiaddr.Multiaddr;
import java.util.List;

/** One DCUtR message: CONNECT with the sender's addresses, or SYNC (addresses ignored). */
record HolePunchMessage(Type type, List<Multiaddr> addresses) {

    enum Type {
        CONNECT(100), SYNC(300);

        final int wire;

        Type(int wire) {
            this.wire = wire;
        }
    }

    HolePunchMessage {
        addresses = List.copyOf(addresses);
    }

    static HolePunchMessage connect(List<Multiaddr> addresses) {
        return new HolePunchMessage(Type.CONNECT, addresses);
    }

    static HolePunchMessage sync() {
        return new HolePunchMessage(Type.SYNC, List.of());
    }
}

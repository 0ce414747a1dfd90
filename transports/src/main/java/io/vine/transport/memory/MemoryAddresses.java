package io.vine.transport.memory;

import io.netty.channel.local.LocalAddress;
import io.vine.core.multiaddr.Component;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import java.net.SocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The numbers of {@code /memory/<n>} in this process: which are taken (by listeners and by the local
 * ends of dialed connections) and the Netty {@link LocalAddress} of each.
 */
final class MemoryAddresses {
    private MemoryAddresses() {}

    private static final String PREFIX = "vine-memory-";

    /** Numbers picked for {@code /memory/0} start here, away from the small numbers tests choose. */
    private static final long FIRST_EPHEMERAL = 1L << 20;

    private static final Set<Long> TAKEN = ConcurrentHashMap.newKeySet();
    private static final AtomicLong NEXT = new AtomicLong(FIRST_EPHEMERAL);

    /** Whether {@code address} (without a final /p2p) is exactly {@code /memory/<n>}. */
    static boolean matches(Multiaddr address) {
        List<Component> c = address.withoutPeerId().components();
        return c.size() == 1 && c.get(0).protocol() == MultiaddrProtocol.MEMORY;
    }

    /** The number of a {@link #matches matching} address. */
    static long number(Multiaddr address) {
        return Long.parseUnsignedLong(address.withoutPeerId().components().get(0).valueText());
    }

    /**
     * Takes {@code n}, or a free number when {@code n} is 0; the number taken.
     *
     * @throws IllegalStateException when {@code n} is taken already
     */
    static long take(long n) {
        if (n != 0) {
            if (!TAKEN.add(n)) {
                throw new IllegalStateException("/memory/" + Long.toUnsignedString(n) + " is in use");
            }
            return n;
        }
        while (true) {
            long candidate = NEXT.getAndIncrement();
            if (candidate != 0 && TAKEN.add(candidate)) {
                return candidate;
            }
        }
    }

    /** How many numbers are taken now. */
    static int taken() {
        return TAKEN.size();
    }

    static void release(long n) {
        TAKEN.remove(n);
    }

    static LocalAddress local(long n) {
        return new LocalAddress(PREFIX + Long.toUnsignedString(n));
    }

    static Multiaddr multiaddr(long n) {
        return Multiaddr.of(List.of(Component.of(MultiaddrProtocol.MEMORY, Long.toUnsignedString(n))));
    }

    /** The multiaddr of a channel end bound by this transport. */
    static Multiaddr multiaddr(SocketAddress address) {
        if (address instanceof LocalAddress local && local.id().startsWith(PREFIX)) {
            return multiaddr(Long.parseUnsignedLong(local.id().substring(PREFIX.length())));
        }
        throw new IllegalStateException("not an address of the memory transport: " + address);
    }
}

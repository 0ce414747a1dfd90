package io.vine.transport.tcp;

import io.vine.core.multiaddr.Component;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.multiaddr.MultiaddrProtocol;
import io.vine.core.DialException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Multiaddrs of TCP: {@code /ip4|ip6/<ip>/tcp/<port>} and, to dial, {@code /dns|dns4|dns6/<host>/tcp/<port>}. */
final class TcpAddresses {
    private TcpAddresses() {}

    /** Name lookups block, so they run here and never on an event loop. Bounded threads and queue. */
    private static final Executor RESOLVER = resolver();

    /** Whether {@code address} (without a final /p2p) is host + tcp port; names only when {@code names}. */
    static boolean matches(Multiaddr address, boolean names) {
        List<Component> c = address.withoutPeerId().components();
        if (c.size() != 2 || c.get(1).protocol() != MultiaddrProtocol.TCP) {
            return false;
        }
        return switch (c.get(0).protocol()) {
            case IP4, IP6 -> true;
            case DNS, DNS4, DNS6 -> names;
            default -> false;
        };
    }

    /** The socket address to bind for a listen address of {@link #matches matching} form. */
    static InetSocketAddress bindAddress(Multiaddr address) {
        return address.withoutPeerId().toSocketAddress()
                .orElseThrow(() -> new IllegalArgumentException("not a TCP address: " + address));
    }

    /**
     * The socket addresses to try for a dial address, names resolved off the event loops; fails with a
     * {@link DialException} when a name does not resolve to an address of the family asked for.
     */
    static CompletableFuture<List<InetSocketAddress>> resolve(Multiaddr address) {
        Multiaddr target = address.withoutPeerId();
        InetSocketAddress socket = bindAddress(target);
        if (!socket.isUnresolved()) {
            return CompletableFuture.completedFuture(List.of(socket));
        }
        MultiaddrProtocol family = target.components().get(0).protocol();
        return CompletableFuture.supplyAsync(() -> {
            InetAddress[] all;
            try {
                all = InetAddress.getAllByName(socket.getHostString());
            } catch (UnknownHostException e) {
                throw new DialException("dial " + address + " failed: cannot resolve " + socket.getHostString(), e);
            }
            List<InetSocketAddress> out = new ArrayList<>(all.length);
            for (InetAddress ip : all) {
                boolean wanted = switch (family) {
                    case DNS4 -> ip instanceof Inet4Address;
                    case DNS6 -> ip instanceof Inet6Address;
                    default -> true;
                };
                if (wanted) {
                    out.add(new InetSocketAddress(ip, socket.getPort()));
                }
            }
            if (out.isEmpty()) {
                throw new DialException("dial " + address + " failed: " + socket.getHostString()
                        + " has no " + (family == MultiaddrProtocol.DNS4 ? "IPv4" : "IPv6") + " address");
            }
            return List.copyOf(out);
        }, RESOLVER);
    }

    /** The multiaddr of a socket address of a TCP channel. */
    static Multiaddr toMultiaddr(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) {
            throw new IllegalStateException("not a TCP socket address: " + address);
        }
        return Multiaddr.fromSocketAddress(inet, "tcp");
    }

    private static Executor resolver() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, "vine-tcp-resolver-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}

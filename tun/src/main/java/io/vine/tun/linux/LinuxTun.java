package io.vine.tun.linux;

import static java.util.Objects.requireNonNull;

import io.vine.tun.IpPrefix;
import io.vine.tun.TunConfig;
import io.vine.tun.TunDevice;
import io.vine.tun.TunException;
import io.vine.tun.VirtioNetHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens Linux TUN devices (Documentation/networking/tuntap.rst) through the Foreign Function &amp;
 * Memory API: /dev/net/tun, TUNSETIFF with IFF_TUN | IFF_NO_PI (plus IFF_VNET_HDR and
 * IFF_MULTI_QUEUE when configured), TUNSETVNETHDRSZ and TUNSETOFFLOAD for offloads, then MTU, link
 * state, addresses and routes through rtnetlink. Needs CAP_NET_ADMIN; the JVM needs
 * {@code --enable-native-access=ALL-UNNAMED} (or the module's name) to call native code without warnings.
 */
public final class LinuxTun {
    static final String DEVICE = "/dev/net/tun";
    static final long TUNSETIFF = 0x400454caL;
    static final long TUNSETOFFLOAD = 0x400454d0L;
    static final long TUNSETVNETHDRSZ = 0x400454d8L;
    static final short IFF_TUN = 0x0001;
    static final short IFF_MULTI_QUEUE = 0x0100;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_VNET_HDR = 0x4000;
    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    static final int TUN_F_TSO6 = 0x04;
    private static final int IFREQ_SIZE = 40;
    private static final int IFNAMSIZ = 16;

    private LinuxTun() {}

    /** Whether this is Linux and {@value #DEVICE} exists (it says nothing about permissions). */
    public static boolean isAvailable() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                && Files.exists(Path.of(DEVICE));
    }

    /**
     * Creates the device described by {@code config}, configures it and brings it up. The device is
     * removed again when it is closed.
     *
     * @throws TunException naming what failed and, for permission problems, the missing capability
     */
    public static TunDevice open(TunConfig config) {
        requireNonNull(config, "config");
        return config.netns().isPresent() ? Netns.call(config.netns().get(), () -> openHere(config)) : openHere(config);
    }

    private static TunDevice openHere(TunConfig config) {
        List<TunQueue> queues = new ArrayList<>();
        String name = config.name();
        try {
            for (int i = 0; i < config.queues(); i++) {
                TunQueue q = openQueue(config, name);
                queues.add(q);
            }
            configure(config, name);
            return new LinuxTunDevice(name, config.mtu(), config.vnetHdr(), List.copyOf(queues), 0);
        } catch (RuntimeException e) {
            queues.forEach(TunQueue::close);
            throw e;
        }
    }

    private static TunQueue openQueue(TunConfig config, String name) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = Libc.open(arena.allocateFrom(DEVICE), Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            if (fd < 0) {
                int errno = Libc.errno();
                if (errno == Libc.ENOENT || errno == Libc.ENODEV) {
                    throw new TunException("creating TUN device '" + name + "': " + DEVICE + " is missing: "
                            + Libc.strerror(errno) + " (load the tun module: modprobe tun)");
                }
                throw failure(name, "opening " + DEVICE, errno);
            }
            try {
                MemorySegment ifreq = arena.allocate(IFREQ_SIZE, 8);
                byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
                MemorySegment.copy(nameBytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, nameBytes.length);
                short flags = (short) (IFF_TUN | IFF_NO_PI | (config.vnetHdr() ? IFF_VNET_HDR : 0)
                        | (config.queues() > 1 ? IFF_MULTI_QUEUE : 0));
                ifreq.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, flags);
                if (Libc.ioctl(fd, TUNSETIFF, ifreq) < 0) {
                    throw failure(name, "TUNSETIFF", Libc.errno());
                }
                if (config.vnetHdr()) {
                    MemorySegment size = arena.allocate(ValueLayout.JAVA_INT);
                    size.set(ValueLayout.JAVA_INT, 0, VirtioNetHeader.LENGTH);
                    if (Libc.ioctl(fd, TUNSETVNETHDRSZ, size) < 0) {
                        throw failure(name, "TUNSETVNETHDRSZ", Libc.errno());
                    }
                    if (Libc.ioctl(fd, TUNSETOFFLOAD, (long) (TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)) < 0) {
                        throw failure(name, "TUNSETOFFLOAD", Libc.errno());
                    }
                }
                int wakeFd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
                if (wakeFd < 0) {
                    throw new TunException("creating TUN device '" + name + "': eventfd failed: "
                            + Libc.strerror(Libc.errno()));
                }
                return new TunQueue(name, fd, wakeFd);
            } catch (RuntimeException e) {
                Libc.close(fd);
                throw e;
            }
        }
    }

    private static void configure(TunConfig config, String name) {
        int ifindex;
        try (Arena arena = Arena.ofConfined()) {
            ifindex = Libc.ifNameToIndex(arena.allocateFrom(name));
        }
        if (ifindex == 0) {
            throw new TunException("configuring TUN device '" + name + "': no interface index: "
                    + Libc.strerror(Libc.errno()));
        }
        try (Netlink netlink = Netlink.open()) {
            run(name, () -> netlink.setLink(ifindex, config.mtu(), true,
                    "setting mtu " + config.mtu() + " and link up on '" + name + "' (RTM_NEWLINK)"));
            for (IpPrefix address : config.addresses()) {
                try {
                    run(name, () -> netlink.addAddress(ifindex, address,
                            "adding address " + address + " to '" + name + "' (RTM_NEWADDR)"));
                } catch (TunException e) {
                    if (!address.isIpv4() && e.getCause() instanceof Netlink.NetlinkException n && n.errno() == Libc.EACCES) {
                        throw new TunException("adding address " + address + " to '" + name
                                + "' failed: IPv6 is disabled on the device (sysctl net.ipv6.conf." + name
                                + ".disable_ipv6 or net.ipv6.conf.default.disable_ipv6 is 1)", n);
                    }
                    throw e;
                }
            }
            for (IpPrefix route : config.routes()) {
                run(name, () -> netlink.addRoute(ifindex, route,
                        "adding route " + route.network() + " via '" + name + "' (RTM_NEWROUTE)"));
            }
        }
    }

    /** Runs one rtnetlink request and explains the errors an operator can act on. */
    private static void run(String name, Runnable request) {
        try {
            request.run();
        } catch (Netlink.NetlinkException e) {
            String hint = switch (e.errno()) {
                case Libc.EPERM -> "; configuring '" + name + "' needs CAP_NET_ADMIN " + GRANT;
                case Libc.EEXIST -> "; it already exists (an address's prefix already routes it, or another"
                        + " device owns it)";
                case Libc.EINVAL -> "; the kernel rejected the value (is the MTU within the device's limits,"
                        + " or IPv6 disabled on it?)";
                default -> "";
            };
            throw new TunException(e.getMessage() + hint, e);
        }
    }

    private static final String GRANT = "(run as root or grant it: setcap cap_net_admin+ep <java binary>)";

    private static TunException failure(String name, String step, int errno) {
        String what = "creating TUN device '" + name + "'";
        return switch (errno) {
            case Libc.EPERM, Libc.EACCES -> new TunException(what + " needs CAP_NET_ADMIN " + GRANT + ": " + step
                    + " failed: " + Libc.strerror(errno) + (errno == Libc.EACCES
                            ? "; " + DEVICE + " must also be readable and writable by this user (usually mode 0666)" : ""));
            case Libc.EBUSY -> new TunException(what + ": " + step + " failed: " + Libc.strerror(errno)
                    + "; a device of that name is already open (or exists with other flags)");
            case Libc.EINVAL -> new TunException(what + ": " + step + " failed: " + Libc.strerror(errno)
                    + "; a device of that name may exist with other flags (multi-queue, vnet header),"
                    + " or the name is not valid");
            default -> new TunException(what + ": " + step + " failed: " + Libc.strerror(errno));
        };
    }
}

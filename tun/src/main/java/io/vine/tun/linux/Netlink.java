package io.vine.tun.linux;

import io.vine.tun.IpPrefix;
import io.vine.tun.TunException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A NETLINK_ROUTE socket that sends one request at a time and waits for its acknowledgement
 * (rtnetlink(7), netlink(7)): set a link's MTU and flags, add an address, add a route. A negative
 * acknowledgement becomes a {@link NetlinkException} carrying the errno.
 */
final class Netlink implements AutoCloseable {
    static final int AF_NETLINK = 16;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_ROUTE = 0;

    static final int NLMSG_ERROR = 2;
    static final int RTM_NEWLINK = 16;
    static final int RTM_NEWADDR = 20;
    static final int RTM_NEWROUTE = 24;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;

    static final int IFLA_MTU = 4;
    static final int IFF_UP = 0x1;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_F_NODAD = 0x02;
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RT_TABLE_MAIN = 254;
    static final int RTPROT_STATIC = 4;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_LINK = 253;
    static final int RTN_UNICAST = 1;

    private static final int NLMSG_HDRLEN = 16;
    private static final int BUFFER = 16384;

    private final int fd;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer = arena.allocate(BUFFER, 8);
    private int seq;

    private Netlink(int fd) {
        this.fd = fd;
    }

    /** A NETLINK_ROUTE socket in the network namespace of the calling thread. */
    static Netlink open() {
        int fd = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            int errno = Libc.errno();
            throw new NetlinkException("opening a NETLINK_ROUTE socket failed: " + Libc.strerror(errno), errno);
        }
        return new Netlink(fd);
    }

    /** RTM_NEWLINK on an existing link: set its MTU and bring it up. */
    void setLink(int ifindex, int mtu, boolean up, String what) {
        ByteBuffer m = start(RTM_NEWLINK, 0);
        m.put((byte) 0).put((byte) 0).putShort((short) 0); // ifi_family, pad, ifi_type
        m.putInt(ifindex).putInt(up ? IFF_UP : 0).putInt(IFF_UP); // ifi_index, ifi_flags, ifi_change
        attr(m, IFLA_MTU, intBytes(mtu));
        request(m, what);
    }

    /** RTM_NEWADDR: assign {@code address} (host bits kept) to the link. */
    void addAddress(int ifindex, IpPrefix address, String what) {
        ByteBuffer m = start(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
        boolean v4 = address.isIpv4();
        m.put((byte) (v4 ? AF_INET : AF_INET6)).put((byte) address.length());
        m.put((byte) (v4 ? 0 : IFA_F_NODAD)).put((byte) RT_SCOPE_UNIVERSE).putInt(ifindex);
        byte[] bytes = address.address().getAddress();
        attr(m, IFA_LOCAL, bytes);
        attr(m, IFA_ADDRESS, bytes);
        request(m, what);
    }

    /** RTM_NEWROUTE: route {@code prefix} (host bits cleared) out of the link, in the main table. */
    void addRoute(int ifindex, IpPrefix prefix, String what) {
        ByteBuffer m = start(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
        IpPrefix network = prefix.network();
        m.put((byte) (network.isIpv4() ? AF_INET : AF_INET6)).put((byte) network.length()).put((byte) 0).put((byte) 0);
        m.put((byte) RT_TABLE_MAIN).put((byte) RTPROT_STATIC).put((byte) RT_SCOPE_LINK).put((byte) RTN_UNICAST);
        m.putInt(0); // rtm_flags
        attr(m, RTA_DST, network.address().getAddress());
        attr(m, RTA_OIF, intBytes(ifindex));
        request(m, what);
    }

    private ByteBuffer start(int type, int flags) {
        ByteBuffer m = ByteBuffer.allocate(BUFFER).order(ByteOrder.nativeOrder());
        m.putInt(0); // nlmsg_len, patched in request()
        m.putShort((short) type).putShort((short) (NLM_F_REQUEST | NLM_F_ACK | flags));
        m.putInt(++seq).putInt(0); // nlmsg_seq, nlmsg_pid (0: the kernel assigns)
        return m;
    }

    private static void attr(ByteBuffer m, int type, byte[] value) {
        int len = 4 + value.length;
        m.putShort((short) len).putShort((short) type).put(value);
        while ((m.position() & 3) != 0) {
            m.put((byte) 0);
        }
    }

    private static byte[] intBytes(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    /** Sends the message and waits for the NLMSG_ERROR that acknowledges it (error 0) or refuses it. */
    private void request(ByteBuffer m, String what) {
        int length = m.position();
        m.putInt(0, length);
        MemorySegment.copy(m.array(), 0, buffer, ValueLayout.JAVA_BYTE, 0, length);
        long sent;
        do {
            sent = Libc.send(fd, buffer, length, 0);
        } while (sent < 0 && Libc.errno() == Libc.EINTR);
        if (sent != length) {
            int errno = sent < 0 ? Libc.errno() : 0;
            throw new NetlinkException(what + ": sending the netlink request failed: "
                    + (sent < 0 ? Libc.strerror(errno) : "short send"), errno);
        }
        int expected = m.getInt(8);
        while (true) {
            long n = Libc.recv(fd, buffer, BUFFER, 0);
            if (n < 0) {
                int errno = Libc.errno();
                if (errno == Libc.EINTR) {
                    continue;
                }
                throw new NetlinkException(what + ": reading the netlink reply failed: " + Libc.strerror(errno), errno);
            }
            ByteBuffer reply = buffer.asSlice(0, n).asByteBuffer().order(ByteOrder.nativeOrder());
            for (int at = 0; at + NLMSG_HDRLEN <= n; ) {
                int len = reply.getInt(at);
                int type = reply.getShort(at + 4) & 0xFFFF;
                int replySeq = reply.getInt(at + 8);
                if (len < NLMSG_HDRLEN || at + len > n) {
                    throw new NetlinkException(what + ": malformed netlink reply (length " + len + ")", 0);
                }
                if (type == NLMSG_ERROR && replySeq == expected) {
                    if (len < NLMSG_HDRLEN + 4) {
                        throw new NetlinkException(what + ": truncated netlink acknowledgement", 0);
                    }
                    int error = reply.getInt(at + NLMSG_HDRLEN);
                    if (error == 0) {
                        return;
                    }
                    throw new NetlinkException(what + " failed: " + Libc.strerror(-error), -error);
                }
                at += (len + 3) & ~3;
            }
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
        arena.close();
    }

    /** A refused or failed rtnetlink request, with its errno (0 when the reply itself was bad). */
    static final class NetlinkException extends TunException {
        private final int errno;

        NetlinkException(String message, int errno) {
            super(message);
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }
}

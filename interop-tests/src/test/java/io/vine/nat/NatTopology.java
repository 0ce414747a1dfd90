package io.vine.nat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces for NAT tests, removed on {@link #close}: a public segment (a bridge in its own
 * namespace, 10.200.0.0/24) with the relay at .1 and two NAT routers at .2 and .3; behind each router
 * a private network (10.200.1.0/24 with host A at .2, 10.200.2.0/24 with host B at .2). The routers
 * masquerade (port-preserving, endpoint-independent in practice) and drop unsolicited TCP from the
 * public side, as a home router does; they have no default route. Every link is created inside the
 * namespaces, so nothing of this touches the test machine's own network.
 */
final class NatTopology implements AutoCloseable {
    static final String RELAY_IP = "10.200.0.1";
    static final String NAT_A_IP = "10.200.0.2";
    static final String NAT_B_IP = "10.200.0.3";
    static final String A_IP = "10.200.1.2";
    static final String B_IP = "10.200.2.2";

    final String pub;
    final String relay;
    final String natA;
    final String natB;
    final String a;
    final String b;
    private final List<String> created = new ArrayList<>();

    NatTopology() throws IOException, InterruptedException {
        String id = "vdc" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        pub = id + "-pub";
        relay = id + "-relay";
        natA = id + "-nata";
        natB = id + "-natb";
        a = id + "-a";
        b = id + "-b";
        try {
            for (String ns : List.of(pub, relay, natA, natB, a, b)) {
                sh("ip", "netns", "add", ns);
                created.add(ns);
                sh("ip", "-n", ns, "link", "set", "lo", "up");
            }
            sh("ip", "-n", pub, "link", "add", "br0", "type", "bridge");
            sh("ip", "-n", pub, "link", "set", "br0", "up");
            uplink(relay, "p1", RELAY_IP);
            uplink(natA, "p2", NAT_A_IP);
            uplink(natB, "p3", NAT_B_IP);
            router(natA, a, "10.200.1.1", A_IP);
            router(natB, b, "10.200.2.1", B_IP);
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A veth from {@code ns} (named wan) to the bridge (port {@code port}), with {@code ip}/24. */
    private void uplink(String ns, String port, String ip) throws IOException, InterruptedException {
        sh("ip", "-n", pub, "link", "add", port, "type", "veth", "peer", "name", "wan", "netns", ns);
        sh("ip", "-n", pub, "link", "set", port, "master", "br0", "up");
        sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", "wan");
        sh("ip", "-n", ns, "link", "set", "wan", "up");
    }

    /** A private network behind {@code router}: lan link to {@code host}, forwarding, masquerade. */
    private void router(String router, String host, String gateway, String hostIp) throws IOException, InterruptedException {
        sh("ip", "-n", router, "link", "add", "lan", "type", "veth", "peer", "name", "eth0", "netns", host);
        sh("ip", "-n", router, "addr", "add", gateway + "/24", "dev", "lan");
        sh("ip", "-n", router, "link", "set", "lan", "up");
        sh("ip", "-n", host, "addr", "add", hostIp + "/24", "dev", "eth0");
        sh("ip", "-n", host, "link", "set", "eth0", "up");
        sh("ip", "-n", host, "route", "add", "default", "via", gateway);
        in(router, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        in(router, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE");
        // Unsolicited packets from outside: dropped silently (no RST that would spoil a simultaneous open).
        in(router, "iptables", "-A", "INPUT", "-i", "wan", "-p", "tcp", "-m", "conntrack", "--ctstate", "NEW,INVALID", "-j", "DROP");
        in(router, "iptables", "-A", "FORWARD", "-i", "wan", "-m", "conntrack", "--ctstate", "NEW,INVALID", "-j", "DROP");
        // Counts what the router forwards out to the other NAT (direct traffic between the private hosts).
        in(router, "iptables", "-A", "FORWARD", "-o", "wan", "-d", router.equals(natA) ? NAT_B_IP : NAT_A_IP, "-j", "ACCEPT");
    }

    /** Makes TCP between the two NATs' public addresses fail at NAT B (reset at once); the relay stays reachable. */
    void blockHolePunching() throws IOException, InterruptedException {
        in(natB, "iptables", "-I", "INPUT", "-s", NAT_A_IP, "-p", "tcp", "-j", "REJECT", "--reject-with", "tcp-reset");
        in(natB, "iptables", "-I", "FORWARD", "-d", NAT_A_IP, "-p", "tcp", "-j", "REJECT", "--reject-with", "tcp-reset");
    }

    /** Packets NAT A forwarded to NAT B's public address (the counting rule). */
    long directPacketsFromA() throws IOException, InterruptedException {
        String out = in(natA, "iptables", "-L", "FORWARD", "-v", "-x", "-n");
        for (String line : out.split("\n")) {
            if (line.contains("ACCEPT") && line.contains(NAT_B_IP)) {
                return Long.parseLong(line.trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no counting rule in:\n" + out);
    }

    /** The command prefix that runs a program inside {@code ns}. */
    static List<String> exec(String ns) {
        return List.of("ip", "netns", "exec", ns);
    }

    String in(String ns, String... command) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(exec(ns));
        all.addAll(List.of(command));
        return sh(all.toArray(String[]::new));
    }

    static String sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
        return out;
    }

    /** Whether this machine can build the topology: root, ip, iptables. */
    static boolean available() {
        try {
            sh("ip", "netns", "list");
            sh("iptables", "--version");
            return ProcessHandle.current().info().user().map("root"::equals).orElse(false);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Override
    public void close() {
        for (String ns : created.reversed()) {
            try {
                sh("ip", "netns", "del", ns);
            } catch (IOException | InterruptedException e) {
                // best effort; the next namespace still goes
            }
        }
        created.clear();
    }
}

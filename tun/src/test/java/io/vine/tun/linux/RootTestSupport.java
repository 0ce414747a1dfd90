package io.vine.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vine.tun.TunConfig;
import io.vine.tun.TunDevice;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared set-up of the root-only TUN tests: a fresh network namespace per test, deleted afterwards
 * (also when an assertion fails), and the devices opened in it closed first. Skipped with a message
 * unless running as root with /dev/net/tun and the ip command.
 */
public abstract class RootTestSupport {
    protected TestNetns ns;
    private final List<TunDevice> devices = new ArrayList<>();

    @BeforeEach
    protected void setUp() {
        assumeTrue(TestNetns.usable(), "root TUN tests skipped: they need root (uid 0), /dev/net/tun and the ip command");
        ns = TestNetns.create();
    }

    @AfterEach
    protected void tearDown() {
        devices.forEach(TunDevice::close);
        if (ns != null) {
            ns.close();
            assertThat(TestNetns.run("ip", "netns", "list")).doesNotContain(ns.name);
        }
    }

    protected TunDevice open(TunConfig.Builder config) {
        TunDevice device = LinuxTun.open(config.netns(ns.path).build());
        devices.add(device);
        return device;
    }

    protected static TunConfig.Builder base() {
        return TunConfig.builder("vine0").mtu(1500).address("10.99.0.1/24").address("fd00:99::1/64");
    }

    /** Reads frames until one matches, skipping others (router solicitations, MLD reports). */
    protected static ByteBuffer readUntil(TunDevice device, Predicate<ByteBuffer> wanted, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            ByteBuffer buf = ByteBuffer.allocate(device.minReadBuffer());
            int n = device.read(buf, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (n < 0) {
                throw new AssertionError("device closed while waiting");
            }
            if (n > 0) {
                buf.flip();
                if (wanted.test(buf)) {
                    return buf;
                }
            }
        }
        throw new AssertionError("no matching packet within " + millis + " ms");
    }

}

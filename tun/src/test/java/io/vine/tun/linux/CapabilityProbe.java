package io.vine.tun.linux;

import io.vine.tun.TunConfig;
import io.vine.tun.TunDevice;
import io.vine.tun.TunException;
import java.nio.file.Path;

/**
 * Run by {@link LinuxTunSetupRootTest} in a child JVM whose capabilities lack CAP_NET_ADMIN: tries to
 * open a TUN device in the namespace given as the argument and prints what happened.
 * Exit 0 with the error message on stdout when the open failed with a {@link TunException}; exit 1 if it opened.
 */
public final class CapabilityProbe {
    private CapabilityProbe() {}

    public static void main(String[] args) {
        try (TunDevice device = LinuxTun.open(TunConfig.builder("vinecap0").address("10.98.0.1/24")
                .netns(Path.of(args[0])).build())) {
            System.out.println("opened " + device.name());
            System.exit(1);
        } catch (TunException e) {
            System.out.println(e.getMessage());
            System.exit(0);
        }
    }
}

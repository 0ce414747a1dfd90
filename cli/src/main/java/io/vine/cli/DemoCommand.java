package io.vine.cli;

import io.netty.channel.EventLoopGroup;
import io.vine.cli.demo.OverlayDemo;
import io.vine.transport.tcp.TcpTransport;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vine demo}: the embedded default. Four overlay nodes in this process, on loopback TCP with
 * userspace TUN devices, told as a short story.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs a four-node vine overlay in this process (no root: userspace TUN devices, loopback TCP).")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        EventLoopGroup io = TcpTransport.defaultGroup(2);
        try (OverlayDemo demo = new OverlayDemo(out, io)) {
            return demo.run() ? 0 : 1;
        } finally {
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            out.flush();
        }
    }
}

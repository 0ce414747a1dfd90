package io.vine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vine} command. */
@Command(
        name = "vine",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "A libp2p node and IP overlay network.",
        subcommands = {NodeCommand.class, DemoCommand.class, io.vine.cli.perf.PerfCommand.class,
            io.vine.cli.config.ConfigCommand.class,
            io.vine.cli.identity.IdentityCommand.class,
            io.vine.cli.control.ClientCommands.Status.class,
            io.vine.cli.control.ClientCommands.Peers.class,
            io.vine.cli.control.ClientCommands.Routes.class,
            io.vine.cli.control.ClientCommands.Sessions.class,
            io.vine.cli.control.ClientCommands.Counters.class,
            io.vine.cli.control.ClientCommands.Snapshot.class,
            io.vine.cli.control.ClientCommands.Ping.class,
            io.vine.cli.control.ClientCommands.Connect.class,
            io.vine.cli.control.ClientCommands.Logs.class,
            io.vine.cli.daemon.UpCommand.class,
            io.vine.cli.daemon.DownCommand.class,
            io.vine.cli.daemon.DoctorCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code, without exiting. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + Errors.describe(e));
            return 1;
        });
        return cl.execute(args);
    }
}

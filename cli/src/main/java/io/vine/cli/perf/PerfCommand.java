package io.vine.cli.perf;

import picocli.CommandLine.Command;

/** {@code vine perf}: measure throughput with the libp2p perf protocol. */
@Command(
        name = "perf",
        mixinStandardHelpOptions = true,
        description = "Measures throughput with the libp2p perf protocol (/perf/1.0.0).",
        subcommands = {PerfServerCommand.class, PerfClientCommand.class})
public final class PerfCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a subcommand: server or client");
    }
}

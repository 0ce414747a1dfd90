package io.vine.cli.daemon;

import io.vine.cli.config.ConfigLoader;
import io.vine.core.VineException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vine down -c FILE}: sends SIGTERM to the node named by the pid file and waits until it has stopped. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stops the node started by vine up (SIGTERM to the pid in [node] pid_file) and waits for it to exit.")
public final class DownCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The config file (for [node] pid_file).")
    Path file;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "The pid file (overrides the config's).")
    Path pidFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the exit (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 30;

    @Override
    public Integer call() throws Exception {
        if (file == null && pidFile == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give -c FILE or --pid-file FILE");
        }
        Path pid = pidFile != null ? pidFile : ConfigLoader.load(file).node().pidFile();
        Optional<Long> number = PidFile.read(pid);
        if (number.isEmpty()) {
            throw new VineException("not running: no pid file " + pid);
        }
        Optional<ProcessHandle> process = ProcessHandle.of(number.get()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            Files.deleteIfExists(pid);
            throw new VineException("not running: pid " + number.get() + " is gone (stale pid file " + pid + " removed)");
        }
        if (!process.get().destroy()) {
            throw new VineException("cannot signal pid " + number.get());
        }
        try {
            process.get().onExit().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new VineException("pid " + number.get() + " still running " + timeoutSeconds + " s after SIGTERM");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("stopped pid " + number.get());
        out.flush();
        return 0;
    }
}

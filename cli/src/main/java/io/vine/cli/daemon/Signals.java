package io.vine.cli.daemon;

import java.util.function.Consumer;

/**
 * POSIX signal handlers through {@code sun.misc.Signal} (the JDK has no supported API): TERM and INT
 * stop, HUP reloads, USR1 writes a snapshot. A signal the JVM does not let us handle is reported, not fatal.
 */
final class Signals {
    private Signals() {}

    /** Installs {@code action} for signal {@code name} ("TERM", "HUP", ...); {@code problems} hears why not. */
    static void on(String name, Runnable action, Consumer<String> problems) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            problems.accept("cannot handle SIG" + name + ": " + e.getMessage());
        }
    }
}

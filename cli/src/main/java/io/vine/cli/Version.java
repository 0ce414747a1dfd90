package io.vine.cli;

import picocli.CommandLine.IVersionProvider;

/** vine's version, as the agent version and {@code vine --version} show it. */
final class Version implements IVersionProvider {
    static final String VERSION = "0.1.0";
    static final String AGENT = "vine/" + VERSION;

    @Override
    public String[] getVersion() {
        return new String[] {AGENT};
    }
}

package io.vine.cli;

/** How a command prints its results. */
enum OutputFormat {
    text,
    json
}

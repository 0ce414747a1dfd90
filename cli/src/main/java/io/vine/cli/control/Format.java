package io.vine.cli.control;

/** How an operator command prints its results. */
public enum Format {
    text,
    json
}

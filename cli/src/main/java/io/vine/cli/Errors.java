package io.vine.cli;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns exceptions into one line an operator can act on. */
final class Errors {
    private Errors() {}

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String describe(Throwable t) {
        Throwable u = unwrap(t);
        if (u instanceof TimeoutException) {
            return "timed out";
        }
        String message = u.getMessage();
        return message == null || message.isBlank() ? u.getClass().getSimpleName() : message;
    }
}

package io.vine.cli.daemon;

import java.util.ArrayList;
import java.util.List;

/** The results of {@code vine doctor}, in order. */
final class Checks {
    record Result(String status, String name, String detail) {}

    final List<Result> results = new ArrayList<>();

    void ok(String name, String detail) {
        results.add(new Result("ok", name, detail));
    }

    void warn(String name, String detail) {
        results.add(new Result("warn", name, detail));
    }

    void fail(String name, String detail) {
        results.add(new Result("FAIL", name, detail));
    }

    boolean failed() {
        return results.stream().anyMatch(r -> r.status().equals("FAIL"));
    }
}

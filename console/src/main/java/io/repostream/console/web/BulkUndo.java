package io.repostream.console.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * A request to undo every action of one rule: {@code produced_by} exactly as the rule writes it
 * ({@code triage-label@1}), optionally one repo and a time range of when the actions were applied.
 */
public record BulkUndo(String producedBy, String repo, Instant from, Instant to) {

    /** From query or form parameters; a malformed time is refused with a message. */
    public static BulkUndo from(Function<String, String> param) {
        return new BulkUndo(
                text(param.apply("produced_by")),
                repo(text(param.apply("repo"))),
                instant(param.apply("from"), "from"),
                instant(param.apply("to"), "to"));
    }

    /** {@code triage-label@1 on acme/widgets from ... to ...}, for the audit. */
    public String describe() {
        return producedBy
                + " on "
                + (repo == null ? "every repo" : repo)
                + (from == null ? "" : " from " + from)
                + (to == null ? "" : " to " + to);
    }

    public String fromText() {
        return from == null ? "" : from.toString();
    }

    public String toText() {
        return to == null ? "" : to.toString();
    }

    private static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String repo(String repo) {
        if (repo == null) {
            return null;
        }
        if (!repo.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("repo must be owner/repo, got " + repo);
        }
        return repo.toLowerCase(Locale.ROOT);
    }

    private static Instant instant(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    name
                            + " must be an ISO-8601 instant such as 2026-12-01T10:00:00Z, got "
                            + value.strip());
        }
    }
}

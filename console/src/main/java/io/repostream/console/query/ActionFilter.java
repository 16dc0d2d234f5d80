package io.repostream.console.query;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the Actions list shows: every field optional, all given ones must match.
 *
 * @param repo lowercase {@code owner/repo}
 * @param rule the rule's name without its version ({@code triage-label} for {@code triage-label@1})
 * @param type the action type's wire name
 * @param outcome the latest outcome's wire name, or {@code pending}
 * @param from latest change at or after (ISO-8601 instant)
 * @param to latest change before
 * @param text free text on the item ({@code owner/repo#12}), the id, the reason or the error
 * @param limit rows at most (1..500)
 */
public record ActionFilter(
        String repo,
        String rule,
        String type,
        String outcome,
        Instant from,
        Instant to,
        String text,
        int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;

    public ActionFilter {
        repo = blankToNull(repo);
        repo = repo == null ? null : repo.toLowerCase(java.util.Locale.ROOT);
        rule = blankToNull(rule);
        type = blankToNull(type);
        outcome = blankToNull(outcome);
        text = blankToNull(text);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException(
                    "limit must be within 1.." + MAX_LIMIT + ", got " + limit);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    public static ActionFilter none() {
        return new ActionFilter(null, null, null, null, null, null, null, DEFAULT_LIMIT);
    }

    /**
     * From a request's query parameters ({@code repo}, {@code rule}, {@code type}, {@code outcome},
     * {@code from}, {@code to}, {@code q}, {@code limit}).
     *
     * @throws IllegalArgumentException naming the parameter that is wrong
     */
    public static ActionFilter fromQuery(Function<String, String> param) {
        return new ActionFilter(
                param.apply("repo"),
                param.apply("rule"),
                param.apply("type"),
                param.apply("outcome"),
                instant(param.apply("from"), "from"),
                instant(param.apply("to"), "to"),
                param.apply("q"),
                limit(param.apply("limit")));
    }

    /** The same filter as query parameters, for links and for the live refresh. */
    public String toQuery() {
        Map<String, String> params = new LinkedHashMap<>();
        put(params, "repo", repo);
        put(params, "rule", rule);
        put(params, "type", type);
        put(params, "outcome", outcome);
        put(params, "from", from == null ? null : from.toString());
        put(params, "to", to == null ? null : to.toString());
        put(params, "q", text);
        if (limit != DEFAULT_LIMIT) {
            params.put("limit", String.valueOf(limit));
        }
        return params.entrySet().stream()
                .map(
                        e ->
                                e.getKey()
                                        + "="
                                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static void put(Map<String, String> params, String name, String value) {
        if (value != null) {
            params.put(name, value);
        }
    }

    private static Instant instant(String value, String name) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    name + " must be an ISO-8601 instant such as 2026-12-01T10:00:00Z, got " + v);
        }
    }

    private static int limit(String value) {
        String v = blankToNull(value);
        if (v == null) {
            return DEFAULT_LIMIT;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a number, got " + v);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

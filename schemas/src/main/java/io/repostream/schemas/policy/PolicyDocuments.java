package io.repostream.schemas.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.Mark;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.json.RecordValidationException;
import io.repostream.schemas.topics.Topics;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Repo policies written by people, checked one way wherever they come from: the {@code policy
 * check|apply} files of the executor's CLI and a repository's {@code .github/repostream.yml}, read
 * by the Flink job. YAML (or JSON) with the same snake_case fields as {@code github.config.v1}'s
 * JSON; every policy is checked against the {@code repo-policy.v1} JSON Schema and the record's own
 * rules, and unknown fields are errors (a typo must not silently fall back to a default).
 */
public final class PolicyDocuments {
    /** A key given twice is a mistake too, not "the last one wins". */
    private static final YAMLMapper YAML =
            YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** Classes a policy may give patterns for (the Flink job's {@code FailureClass}). */
    public static final List<String> FAILURE_CLASSES =
            List.of("transient", "dependency", "permanent", "flaky");

    private PolicyDocuments() {}

    /**
     * The YAML document of {@code text}; null for an empty document.
     *
     * @throws IllegalArgumentException {@code where: not YAML: line L, column C: ...}
     */
    public static JsonNode parse(String text, String where) {
        try {
            JsonNode root = YAML.readTree(text);
            return root == null || root.isMissingNode() || root.isNull() ? null : root;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not YAML: " + yamlMistake(e));
        }
    }

    /** The YAML document of {@code bytes}; null for an empty document. */
    public static JsonNode parse(byte[] bytes) throws IOException {
        JsonNode root = YAML.readTree(bytes);
        return root == null || root.isMissingNode() || root.isNull() ? null : root;
    }

    /**
     * The policy {@code node} describes, checked as {@code policy check} checks it.
     *
     * @param where what to name in errors ({@code file: policy 2})
     * @param now stamped as {@code updated_at} when the node does not set it
     * @throws IllegalArgumentException {@code where (repo): field: what is wrong}
     */
    public static RepoPolicy policy(JsonNode node, String where, Instant now) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": expected a mapping of policy fields");
        }
        ObjectNode tree = ((ObjectNode) node).deepCopy();
        String repo = tree.path("repo").asText("");
        if (!repo.isEmpty()) {
            tree.put("repo", repo.toLowerCase(Locale.ROOT));
            where = where + " (" + repo.toLowerCase(Locale.ROOT) + ")";
        }
        if (!tree.has("updated_at")) {
            tree.put("updated_at", now.toString());
        }
        try {
            Topics.CONFIG.valueCodec().schema().validate(tree);
            RepoPolicy policy =
                    Json.mapper()
                            .readerFor(RepoPolicy.class)
                            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                            .readValue(tree);
            checkFailurePatterns(policy, where);
            return policy;
        } catch (RecordValidationException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        } catch (IOException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            throw new IllegalArgumentException(
                    where + ": " + message.lines().findFirst().orElse("").trim());
        }
    }

    /**
     * {@code own} laid over {@code defaults}: mappings are merged key by key (recursively), and
     * anything else {@code own} sets (a value, a list) replaces the default. Neither is changed.
     */
    public static ObjectNode mergeUnder(ObjectNode defaults, ObjectNode own) {
        ObjectNode merged = defaults.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = own.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode base = merged.get(e.getKey());
            if (base instanceof ObjectNode b && e.getValue() instanceof ObjectNode o) {
                merged.set(e.getKey(), mergeUnder(b, o));
            } else {
                merged.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return merged;
    }

    /**
     * Where the YAML goes wrong (line and column, counted from 1, as editors do) and what is wrong,
     * on one line. Jackson 2 reports SnakeYAML's errors as its (deprecated) {@link
     * MarkedYAMLException}, the one place that keeps the problem's own position: {@code
     * getLocation()} is where the parser stopped, often a line earlier.
     */
    @SuppressWarnings("deprecation")
    public static String yamlMistake(JsonProcessingException e) {
        if (e instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            StringBuilder text =
                    new StringBuilder(at(m.getProblemMark())).append(": ").append(m.getProblem());
            if (m.getContext() != null) {
                text.append(" (").append(m.getContext());
                if (m.getContextMark() != null) {
                    text.append(" that starts at ").append(at(m.getContextMark()));
                }
                text.append(')');
                if (m.getContext().contains("flow")) {
                    text.append(
                            "; in a [...] or {...} list, quote values that contain [ ] { } or"
                                    + " commas, e.g. \"dependabot[bot]\"");
                }
            }
            return text.toString();
        }
        JsonLocation location = e.getLocation();
        String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
        String first = message.lines().findFirst().orElse("");
        return location == null
                ? first
                : "line "
                        + location.getLineNr()
                        + ", column "
                        + location.getColumnNr()
                        + ": "
                        + first;
    }

    @SuppressWarnings("deprecation")
    private static String at(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    /**
     * The Flink job skips (and logs) a pattern it cannot use; here it is an error instead: the
     * class must be one the classifier knows, and the pattern valid RE2 syntax.
     */
    private static void checkFailurePatterns(RepoPolicy policy, String where) {
        for (Map.Entry<String, List<String>> e : policy.ci().failurePatterns().entrySet()) {
            if (!FAILURE_CLASSES.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(
                        where
                                + ": failure_patterns: unknown class '"
                                + e.getKey()
                                + "' (one of "
                                + String.join(", ", FAILURE_CLASSES)
                                + ")");
            }
            for (String regex : e.getValue()) {
                try {
                    com.google.re2j.Pattern.compile(regex);
                } catch (com.google.re2j.PatternSyntaxException x) {
                    throw new IllegalArgumentException(
                            where
                                    + ": failure_patterns."
                                    + e.getKey()
                                    + ": not RE2 syntax: "
                                    + x.getMessage());
                }
            }
        }
    }

    /** One problem of a policy file, at the line (from 1) it is about. */
    public record Problem(int line, String message) {}

    private static final java.util.regex.Pattern LINE =
            java.util.regex.Pattern.compile("\\bline (\\d+)\\b");

    /**
     * The problems an error of {@link #policy} or {@link #parse} describes (a schema's several
     * violations apart), each at the line of {@code text} it is about: the line a YAML mistake
     * names, else the line of the most specific field the message names, else line 1.
     */
    public static List<Problem> problems(String text, String error) {
        Map<String, Integer> lines = fieldLines(text);
        List<Problem> problems = new java.util.ArrayList<>();
        for (String part : error.split("; (?=\\$)")) {
            problems.add(new Problem(lineOf(part, lines), part));
        }
        return problems;
    }

    private static int lineOf(String message, Map<String, Integer> lines) {
        java.util.regex.Matcher m = LINE.matcher(message);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        int best = -1;
        int line = 1;
        for (Map.Entry<String, Integer> e : lines.entrySet()) {
            String path = e.getKey();
            String last = path.substring(path.lastIndexOf('.') + 1);
            int score;
            if (message.contains("$." + path)) {
                score = 2000 + path.length();
            } else if (message.contains(path) && path.contains(".")) {
                score = 1000 + path.length();
            } else if (message.contains("\"" + last + "\"")
                    || message.contains("'" + last + "'")
                    || java.util.regex.Pattern.compile(
                                    "\\b" + java.util.regex.Pattern.quote(last) + "\\b")
                            .matcher(message)
                            .find()) {
                score = path.length();
            } else {
                continue;
            }
            if (score > best) {
                best = score;
                line = e.getValue();
            }
        }
        return line;
    }

    /**
     * The line (from 1) of every mapping key of {@code text}, by its dotted path ({@code
     * sla.mode}).
     */
    static Map<String, Integer> fieldLines(String text) {
        Map<String, Integer> lines = new java.util.LinkedHashMap<>();
        java.util.Deque<String> path = new java.util.ArrayDeque<>();
        java.util.Deque<Boolean> inObject = new java.util.ArrayDeque<>();
        String pendingName = null;
        try (com.fasterxml.jackson.core.JsonParser p = YAML.getFactory().createParser(text)) {
            com.fasterxml.jackson.core.JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> {
                        String prefix = String.join(".", reversed(path));
                        String name = p.currentName();
                        String full = prefix.isEmpty() ? name : prefix + "." + name;
                        lines.putIfAbsent(full, p.currentTokenLocation().getLineNr());
                        pendingName = name;
                    }
                    case START_OBJECT, START_ARRAY -> {
                        boolean named = Boolean.TRUE.equals(inObject.peek()) && pendingName != null;
                        path.push(named ? pendingName : "");
                        inObject.push(t == com.fasterxml.jackson.core.JsonToken.START_OBJECT);
                        pendingName = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        path.pop();
                        inObject.pop();
                    }
                    default -> pendingName = null;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not YAML: the parser's own message names the line
        }
        return lines;
    }

    private static List<String> reversed(java.util.Deque<String> path) {
        List<String> parts = new java.util.ArrayList<>();
        path.descendingIterator()
                .forEachRemaining(
                        s -> {
                            if (!s.isEmpty()) {
                                parts.add(s);
                            }
                        });
        return parts;
    }

    /** A policy as YAML, in the fields a file would use. */
    public static String toYaml(RepoPolicy policy) {
        try {
            return YAML.writeValueAsString(Topics.CONFIG.valueCodec().toTree(policy));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a policy as YAML", e);
        }
    }
}

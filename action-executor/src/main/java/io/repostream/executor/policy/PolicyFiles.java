package io.repostream.executor.policy;

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
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Repo policies written by people: YAML (or JSON) files with the same snake_case fields as {@code
 * github.config.v1}'s JSON. A file holds one policy, a list of them, or {@code policies: [...]}.
 * Every policy is checked against the {@code repo-policy.v1} JSON Schema and the record's own
 * rules, and unknown fields are errors (a typo must not silently fall back to a default). Errors
 * name the file, the policy and the field.
 */
public final class PolicyFiles {
    /** A key given twice is a mistake too, not "the last one wins". */
    private static final YAMLMapper YAML =
            YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private PolicyFiles() {}

    /**
     * Reads every policy of {@code files}; a repo may appear once across them.
     *
     * @param now stamped as {@code updated_at} on policies that do not set it
     * @throws IllegalArgumentException naming file, policy and field, on the first problem
     */
    public static List<RepoPolicy> read(List<Path> files, Instant now) {
        Map<String, String> seen = new LinkedHashMap<>();
        List<RepoPolicy> policies = new ArrayList<>();
        for (Path file : files) {
            List<JsonNode> nodes = documents(file);
            for (int i = 0; i < nodes.size(); i++) {
                String where = file + ": policy " + (i + 1);
                RepoPolicy policy = policy(nodes.get(i), where, now);
                String earlier = seen.putIfAbsent(policy.repo(), where);
                if (earlier != null) {
                    throw new IllegalArgumentException(
                            where + " (" + policy.repo() + ") repeats " + earlier);
                }
                policies.add(policy);
            }
        }
        return policies;
    }

    private static List<JsonNode> documents(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not YAML: " + yamlMistake(e));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new IllegalArgumentException(file + ": no policy in the file");
        }
        if (root.isObject() && root.has("policies") && root.size() == 1) {
            root = root.get("policies");
        }
        List<JsonNode> nodes = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(nodes::add);
        } else {
            nodes.add(root);
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException(file + ": no policy in the file");
        }
        return nodes;
    }

    /**
     * Where the YAML goes wrong (line and column, counted from 1, as editors do) and what is wrong,
     * on one line. Jackson 2 reports SnakeYAML's errors as its (deprecated) {@link
     * MarkedYAMLException}, the one place that keeps the problem's own position: {@code
     * getLocation()} is where the parser stopped, often a line earlier.
     */
    @SuppressWarnings("deprecation")
    static String yamlMistake(JsonProcessingException e) {
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

    private static RepoPolicy policy(JsonNode node, String where, Instant now) {
        if (!node.isObject()) {
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

    /** Classes a policy may give patterns for (the Flink job's {@code FailureClass}). */
    static final List<String> FAILURE_CLASSES =
            List.of("transient", "dependency", "permanent", "flaky");

    /** A policy as YAML, in the fields a file would use. */
    public static String toYaml(RepoPolicy policy) {
        try {
            return YAML.writeValueAsString(Topics.CONFIG.valueCodec().toTree(policy));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a policy as YAML", e);
        }
    }
}

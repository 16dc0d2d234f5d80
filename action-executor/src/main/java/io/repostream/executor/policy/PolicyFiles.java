package io.repostream.executor.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.policy.PolicyDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Repo policies written by people: YAML (or JSON) files with the same snake_case fields as {@code
 * github.config.v1}'s JSON. A file holds one policy, a list of them, or {@code policies: [...]}.
 * Every policy is checked against the {@code repo-policy.v1} JSON Schema and the record's own
 * rules, and unknown fields are errors (a typo must not silently fall back to a default). Errors
 * name the file, the policy and the field. The checks are {@link PolicyDocuments}', which the Flink
 * job applies to a repository's {@code .github/repostream.yml} too.
 */
public final class PolicyFiles {
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
            root = PolicyDocuments.parse(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    file + ": not YAML: " + PolicyDocuments.yamlMistake(e));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
        if (root == null) {
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

    private static RepoPolicy policy(JsonNode node, String where, Instant now) {
        return PolicyDocuments.policy(node, where, now);
    }

    /** A policy as YAML, in the fields a file would use. */
    public static String toYaml(RepoPolicy policy) {
        return PolicyDocuments.toYaml(policy);
    }
}

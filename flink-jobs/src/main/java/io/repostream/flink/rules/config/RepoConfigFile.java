package io.repostream.flink.rules.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.policy.PolicyDocuments;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A repository's {@code .github/repostream.yml} made into its policy: merged over the defaults in
 * the organization's {@code .github} repository (same path), checked with the code of {@code policy
 * check} ({@link PolicyDocuments}), and narrowed by the job's {@link PolicyCeilings}.
 */
public final class RepoConfigFile {
    /**
     * Where a repository keeps its policy, and an organization its defaults (in {@code .github}).
     */
    public static final String PATH = ".github/repostream.yml";

    /** The repository of an owner's defaults. */
    public static final String DEFAULTS_REPO = ".github";

    private RepoConfigFile() {}

    /** A policy, or why there is none. */
    public sealed interface Outcome permits Valid, Invalid {}

    /**
     * @param policy what to write to {@code github.config.v1}
     * @param narrowed what the ceilings changed (empty when nothing)
     */
    public record Valid(RepoPolicy policy, List<String> narrowed) implements Outcome {}

    /**
     * @param error one line a person can act on, naming the file
     */
    public record Invalid(String error) implements Outcome {}

    /** The repository that holds {@code repo}'s owner's defaults. */
    public static String defaultsRepo(String repo) {
        return repo.substring(0, repo.indexOf('/')) + "/" + DEFAULTS_REPO;
    }

    /**
     * The policy of {@code repo} from its file's text.
     *
     * @param defaults the text of the owner's defaults file, or null when there is none
     * @param at stamped as {@code updated_at} (when the file was read)
     */
    public static Outcome resolve(
            String repo, String own, String defaults, PolicyCeilings ceilings, Instant at) {
        String where = repo + ":" + PATH;
        try {
            ObjectNode ownTree = mapping(own, where);
            String named = ownTree.path("repo").asText("");
            if (!named.isEmpty() && !named.toLowerCase(Locale.ROOT).equals(repo)) {
                return new Invalid(
                        where
                                + ": repo: names "
                                + named
                                + ", but the file is in "
                                + repo
                                + " (leave repo out: the file is the policy of its repository)");
            }
            ObjectNode tree = ownTree;
            if (defaults != null) {
                ObjectNode base = mapping(defaults, defaultsRepo(repo) + ":" + PATH);
                base.remove("repo");
                base.remove("updated_at");
                tree = PolicyDocuments.mergeUnder(base, ownTree);
                where = where + " over " + defaultsRepo(repo) + "'s defaults";
            }
            tree.put("repo", repo);
            // when it was read, whatever the file says: a policy written later must win
            tree.put("updated_at", at.toString());
            RepoPolicy policy = PolicyDocuments.policy(tree, where, at);
            PolicyCeilings.Narrowed narrowed = ceilings.narrow(policy);
            return new Valid(narrowed.policy(), narrowed.changes());
        } catch (IllegalArgumentException e) {
            return new Invalid(e.getMessage());
        }
    }

    private static ObjectNode mapping(String text, String where) {
        JsonNode root = PolicyDocuments.parse(text, where);
        if (root == null) {
            // an empty file: the defaults (of the organization, else repostream's)
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(where + ": expected a mapping of policy fields");
        }
        return (ObjectNode) root;
    }
}

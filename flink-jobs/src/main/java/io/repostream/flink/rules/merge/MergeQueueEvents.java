package io.repostream.flink.rules.merge;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.flink.rules.AuditFeedback;
import io.repostream.flink.rules.merge.queue.MergeQueueMachine;
import io.repostream.schemas.GitHubEvent;
import java.util.Set;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * The events the merge queue reads, keyed by repository and base branch ({@code owner/repo|main}):
 * pull requests (by their base), pushes to a branch (the base moved), and what CI said about a
 * candidate (a check run, commit status or workflow run on a {@code repostream/queue/<base>/<n>}
 * branch, whose name says the base). Beside them the queue reads the eligibility rule's verdicts
 * ({@link MergeEligibilityFunction#QUEUE_EVENTS}, by their {@code base}) and the audits of its own
 * steps (by the base written in the step's action id, {@link MergeQueueFunction#actionId}).
 */
public final class MergeQueueEvents implements FilterFunction<GitHubEvent> {
    private static final long serialVersionUID = 1L;

    /** The webhook event types the queue reads. */
    public static final Set<String> TYPES =
            Set.of("pull_request", "check_run", "status", "workflow_run", "push");

    private static final String HEADS = "refs/heads/";

    @Override
    public boolean filter(GitHubEvent event) {
        if (event.repo() == null || !TYPES.contains(event.type())) {
            return false;
        }
        return base(event) != null;
    }

    /**
     * The base branch {@code event} is about, or null when it is about no queue: a check on a
     * branch that is no candidate, a push to one of the queue's own branches or a deletion.
     */
    static String base(GitHubEvent event) {
        JsonNode p = event.payload();
        return switch (event.type()) {
            case "pull_request" -> text(p.path("pull_request").path("base").path("ref"));
            case "check_run" ->
                    baseOfCandidate(
                            text(p.path("check_run").path("check_suite").path("head_branch")));
            case "workflow_run" ->
                    baseOfCandidate(text(p.path("workflow_run").path("head_branch")));
            case "status" -> {
                for (JsonNode branch : p.path("branches")) {
                    String base = baseOfCandidate(text(branch.path("name")));
                    if (base != null) {
                        yield base;
                    }
                }
                yield null;
            }
            case "push" -> {
                String ref = text(p.path("ref"));
                if (ref == null
                        || !ref.startsWith(HEADS)
                        || p.path("deleted").asBoolean(false)
                        || ref.startsWith(HEADS + "repostream/")) {
                    yield null;
                }
                yield ref.substring(HEADS.length());
            }
            case MergeEligibilityFunction.QUEUE_EVENT -> text(p.path("base"));
            case AuditFeedback.TYPE ->
                    MergeQueueFunction.baseOf(p.path("audit").path("action_id").asText(""));
            default -> null;
        };
    }

    /** {@code main} of {@code repostream/queue/main/3}; null for any other branch. */
    static String baseOfCandidate(String branch) {
        if (branch == null || !branch.startsWith(MergeQueueMachine.QUEUE_PREFIX)) {
            return null;
        }
        String rest = branch.substring(MergeQueueMachine.QUEUE_PREFIX.length());
        int slash = rest.lastIndexOf('/');
        return slash <= 0 ? null : rest.substring(0, slash);
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
    }

    /** {@code owner/repo|base}; null for an event about no queue. */
    public static final class Key implements KeySelector<GitHubEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(GitHubEvent event) {
            String base = base(event);
            return base == null ? null : event.repo() + "|" + base;
        }
    }
}

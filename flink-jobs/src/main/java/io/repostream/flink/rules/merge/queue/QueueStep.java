package io.repostream.flink.rules.merge.queue;

import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetKind;
import java.util.Map;

/**
 * One step the queue asks the executor to perform, as the existing action type would express it.
 *
 * @param key names the step for its outcome ({@code c3:merge:12}); the rule keeps it with the
 *     action's id and hands the audit's result back as {@link QueueInput.StepOutcome}
 * @param type the action type
 * @param targetKind what {@code target} is
 * @param target the full ref ({@code refs/heads/main}), the pull request's number, the commit's SHA
 *     or the workflow run's id
 * @param params the action's params, by the names its handler reads
 */
public record QueueStep(
        String key,
        ActionType type,
        TargetKind targetKind,
        String target,
        Map<String, String> params) {
    public QueueStep {
        params = Map.copyOf(params);
    }

    public String param(String name) {
        return params.get(name);
    }
}

package io.repostream.flink.rules.ci;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.governors.SlotSchedule;
import io.repostream.flink.rules.PolicyAwareFunction;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.TypedTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.util.Collector;

/**
 * Rule {@code ci-retry@1}, keyed by repository and workflow: re-runs the failed jobs of a failed
 * workflow run that the CI failure classifier ({@code ci-classifier@1}) found worth re-running.
 *
 * <p>Reads the classifier's failed runs ({@link CiFailure}, its typed side output). Transient,
 * dependency and flaky failures get a {@code rerun_failed_jobs} with exponential backoff and jitter
 * ({@code not_before}), its run as {@code typed_target} (kind {@code workflow_run}), until the
 * policy's max attempts; at most {@link #MAX_RERUNS_PER_HOUR} per workflow, so a broken runner
 * fleet does not cause a rerun storm.
 */
public final class CiRetryPlanner extends PolicyAwareFunction<CiFailure, ActionRecord> {
    private static final long serialVersionUID = 1L;

    public static final String RETRY_RULE = "ci-retry@1";
    public static final int MAX_RERUNS_PER_HOUR = 20;

    /** A re-run planned this long ago is no longer worth doing. */
    static final Duration RERUN_EXPIRY = Duration.ofHours(6);

    private static final long HOUR_MS = Duration.ofHours(1).toMillis();

    /** Event times (epoch ms) of the re-runs planned in the last hour, oldest first. */
    private transient ValueState<List<Long>> reruns;

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        ValueStateDescriptor<List<Long>> descriptor =
                new ValueStateDescriptor<>(
                        "ci-reruns", new ListSerializer<>(LongSerializer.INSTANCE));
        // garbage collection: only the last hour counts
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
        reruns = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(CiFailure failure, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        if (!failure.failureClass().retryable()) {
            return;
        }
        long now = failure.occurredAt().toEpochMilli();
        List<Long> stored = reruns.value();
        List<Long> recent = SlotSchedule.prune(stored == null ? List.of() : stored, now, HOUR_MS);
        RepoPolicy policy = policy(ctx, failure.repo());
        if (failure.attempt() < policy.ci().retry().maxAttempts()
                && recent.size() < MAX_RERUNS_PER_HOUR) {
            out.collect(
                    rerun(failure, policy)
                            .withTypedTarget(TypedTarget.workflowRun(failure.runId())));
            reruns.update(SlotSchedule.with(recent, now));
        } else if (stored != null && recent != stored) {
            reruns.update(recent);
        }
    }

    private static ActionRecord rerun(CiFailure failure, RepoPolicy policy) {
        long runId = failure.runId();
        int attempt = failure.attempt();
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("run_id", runId);
        params.put("attempt", attempt + 1);
        params.put("failure_class", failure.failureClass().wireName());
        Instant notBefore =
                failure.occurredAt().plus(Backoff.delay(policy.ci().retry(), runId, attempt));
        return new ActionRecord(
                RETRY_RULE + ":" + failure.repo() + ":run-" + runId + ":attempt-" + (attempt + 1),
                failure.repo(),
                runId,
                ActionType.RERUN_FAILED_JOBS,
                params,
                "run "
                        + runId
                        + " of "
                        + failure.repo()
                        + " failed ("
                        + failure.failureClass().wireName()
                        + "), attempt "
                        + attempt
                        + " of "
                        + policy.ci().retry().maxAttempts(),
                List.of(firstLines(failure.text())),
                failure.failureClass() == FailureClass.UNKNOWN ? 0.5 : 0.8,
                RETRY_RULE,
                List.of(failure.eventId()),
                failure.installationId(),
                failure.occurredAt(),
                notBefore,
                notBefore.plus(RERUN_EXPIRY),
                policy.dryRun());
    }

    private static String firstLines(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }
}

package io.repostream.flink.rules.ci;

import io.repostream.flink.serialization.JsonTypeInfo;
import java.time.Instant;
import java.util.Objects;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.util.OutputTag;

/**
 * A failed workflow run as the CI failure classifier saw it: what the re-run rule decides on. The
 * classifier's typed side output {@link #TAG}, keyed like the classifier by repository and
 * workflow.
 *
 * @param workflow the workflow's name
 * @param attempt the run attempt that failed (1 for the first)
 * @param failureClass the class the classifier gave it (flaky when the workflow flakes and nothing
 *     else matched)
 * @param text what the failure says: conclusion, failed jobs and steps
 * @param eventId the {@code workflow_run} event that reported it
 * @param signature what decided the class: a built-in signature's name ({@code network}, {@code
 *     test-failure}, ...), {@code repo:<class>} for the repository's own pattern, {@code
 *     flaky-tests}, {@code flaky-workflow}; null when nothing did
 * @param cluster for an unknown failure whose job logs were read, the cluster of like failures
 *     ({@link FailureClusters}); else null
 */
public record CiFailure(
        String repo,
        String workflow,
        long runId,
        int attempt,
        FailureClass failureClass,
        String text,
        String eventId,
        Long installationId,
        Instant occurredAt,
        String signature,
        String cluster) {

    /** The classifier's side output of failed runs. */
    public static final OutputTag<CiFailure> TAG =
            new OutputTag<>("ci-failures", JsonTypeInfo.of(CiFailure.class));

    /** A failure classified without a signature or cluster, as before logs were read. */
    public CiFailure(
            String repo,
            String workflow,
            long runId,
            int attempt,
            FailureClass failureClass,
            String text,
            String eventId,
            Long installationId,
            Instant occurredAt) {
        this(
                repo,
                workflow,
                runId,
                attempt,
                failureClass,
                text,
                eventId,
                installationId,
                occurredAt,
                null,
                null);
    }

    public CiFailure {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(failureClass, "failureClass");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    /** {@code owner/repo|workflow}, as the classifier is keyed ({@code CiEvents.Key}). */
    public static final class Key implements KeySelector<CiFailure, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(CiFailure failure) {
            return failure.repo() + "|" + failure.workflow();
        }
    }
}

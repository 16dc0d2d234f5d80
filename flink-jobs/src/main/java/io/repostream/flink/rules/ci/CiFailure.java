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
        Instant occurredAt) {

    /** The classifier's side output of failed runs. */
    public static final OutputTag<CiFailure> TAG =
            new OutputTag<>("ci-failures", JsonTypeInfo.of(CiFailure.class));

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

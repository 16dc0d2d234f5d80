package io.repostream.flink.governors;

import io.repostream.flink.rules.ActionPriority;
import io.repostream.flink.serialization.WireTypes;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.RepoMetrics;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.util.OutputTag;

/** Metric signals of both governors: proposed, delayed and dropped actions, budget records. */
public final class GovernorSignals {
    private GovernorSignals() {}

    public static final OutputTag<RepoMetrics> TAG =
            new OutputTag<>("governor-signals", WireTypes.REPO_METRICS);

    static RepoMetrics of(ActionRecord action, String metric, Instant at) {
        return new RepoMetrics(
                action.repo(),
                metric,
                Map.of(
                        "action_type", action.type().wireName(),
                        "priority", ActionPriority.of(action).name().toLowerCase(Locale.ROOT)),
                1,
                at,
                at);
    }

    /** Rebuilds {@code a} with another {@code not_before}. */
    static ActionRecord withNotBefore(ActionRecord a, long notBeforeMs) {
        return a.withNotBefore(Instant.ofEpochMilli(notBeforeMs));
    }

    static boolean expiredAt(ActionRecord a, long slot) {
        return slot == Long.MAX_VALUE
                || (a.expiresAt() != null && slot > a.expiresAt().toEpochMilli());
    }
}

package io.repostream.flink.functions;

import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.RepoPolicy;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;

/** The broadcast state that holds each repository's {@link RepoPolicy}, shared by the rules. */
public final class Policies {
    private Policies() {}

    /** Repo ({@code owner/repo}) to its latest policy. */
    public static final MapStateDescriptor<String, RepoPolicy> DESCRIPTOR =
            new MapStateDescriptor<>(
                    "repo-policies", Types.STRING, JsonTypeInfo.of(RepoPolicy.class));

    /** The repo's policy, or the defaults when none was published. */
    public static RepoPolicy of(ReadOnlyBroadcastState<String, RepoPolicy> state, String repo)
            throws Exception {
        RepoPolicy policy = state.get(repo);
        return policy == null ? RepoPolicy.defaults(repo) : policy;
    }

    /**
     * Why the rules cannot follow {@code policy}, or null when they can. The record's own checks
     * (and its JSON Schema, on the topic) catch most mistakes; this catches what would make a rule
     * fail or never act, for policies that reach the job another way.
     */
    public static String problem(RepoPolicy policy) {
        if (policy.calendar().workingDays().isEmpty()) {
            return "calendar.working_days is empty: business-hours clocks would never run";
        }
        return null;
    }

    /**
     * Whether {@code incoming} should replace {@code current}: a compacted topic may replay an
     * older record after a newer one arrived (e.g. when the source restarts), so older ones lose.
     */
    public static boolean supersedes(RepoPolicy incoming, RepoPolicy current) {
        return current == null || !incoming.updatedAt().isBefore(current.updatedAt());
    }
}

package io.repostream.flink.rules;

import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.RepoPolicy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    /** Default policies kept before the cache starts afresh (one per repository). */
    static final int MAX_CACHED_DEFAULTS = 10_000;

    /**
     * Default policies by repository: most repositories publish none, and the rules ask for the
     * policy of every event; building one (sets, maps, calendar and time zone checks) each time was
     * work per event. Policies are immutable, so all operators of a JVM share them.
     */
    private static final Map<String, RepoPolicy> DEFAULTS = new ConcurrentHashMap<>();

    /** The repo's policy, or the defaults when none was published. */
    public static RepoPolicy of(ReadOnlyBroadcastState<String, RepoPolicy> state, String repo)
            throws Exception {
        RepoPolicy policy = state.get(repo);
        return policy == null ? defaults(repo) : policy;
    }

    /** {@link RepoPolicy#defaults(String)}, built once per repository. */
    public static RepoPolicy defaults(String repo) {
        RepoPolicy policy = DEFAULTS.get(repo);
        if (policy != null) {
            return policy;
        }
        if (DEFAULTS.size() >= MAX_CACHED_DEFAULTS) {
            DEFAULTS.clear(); // bounded: a job may see any number of repositories
        }
        return DEFAULTS.computeIfAbsent(repo, RepoPolicy::defaults);
    }

    /** How many default policies are cached, for tests. */
    static int cachedDefaults() {
        return DEFAULTS.size();
    }

    /**
     * Why the rules cannot follow {@code policy}, or null when they can. The record's own checks
     * (and its JSON Schema, on the topic) catch most mistakes; this catches what would make a rule
     * fail or never act, for policies that reach the job another way.
     */
    public static String problem(RepoPolicy policy) {
        if (policy.sla().calendar().workingDays().isEmpty()) {
            return "sla.calendar.working_days is empty: business-hours clocks would never run";
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

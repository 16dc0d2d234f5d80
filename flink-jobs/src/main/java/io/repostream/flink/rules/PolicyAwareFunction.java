package io.repostream.flink.rules;

import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A keyed rule that reads each repository's {@link RepoPolicy} from broadcast state, so a policy
 * published on {@code github.config.v1} changes the running job without a restart.
 *
 * <p>A policy the rules cannot follow ({@link Policies#problem}) is refused: logged, counted in the
 * {@code refusedPolicies} metric, and the policy in force (or the defaults) stays. Subclasses that
 * override {@link #open} call {@code super.open} first.
 */
public abstract class PolicyAwareFunction<IN, OUT>
        extends KeyedBroadcastProcessFunction<String, IN, RepoPolicy, OUT> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PolicyAwareFunction.class);

    private transient Counter refused;
    private transient Counter unknownLabels;

    @Override
    public void open(OpenContext openContext) throws Exception {
        refused = getRuntimeContext().getMetricGroup().counter("refusedPolicies");
        unknownLabels = getRuntimeContext().getMetricGroup().counter("eventsWithUnknownLabels");
    }

    /**
     * The item's labels, or empty when the event does not say what they are ({@link
     * GitHubPayloads#knownLabels}): then the rule leaves the item alone, and this says so in a log
     * line and the {@code eventsWithUnknownLabels} metric. An unknown list is never read as an
     * empty one (a polled item that GitHub no longer serves would otherwise be triaged).
     */
    protected final Optional<List<String>> labelsOrSkip(GitHubEvent event, String rule) {
        Optional<List<String>> labels = GitHubPayloads.knownLabels(event);
        if (labels.isEmpty()) {
            unknownLabels.inc();
            LOG.info(
                    "{}: {}#{} {}.{} ({}) does not say what its labels are: left alone",
                    rule,
                    event.repo(),
                    GitHubPayloads.itemNumber(event).orElse(0),
                    event.type(),
                    event.action(),
                    event.eventId());
        }
        return labels;
    }

    @Override
    public final void processBroadcastElement(RepoPolicy policy, Context ctx, Collector<OUT> out)
            throws Exception {
        // every subtask receives the policy; one log line and one count are enough
        boolean first = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        String problem = Policies.problem(policy);
        if (problem != null) {
            if (first) {
                refused.inc();
                LOG.warn(
                        "{}: policy as of {} refused, the one in force stays: {}",
                        policy.repo(),
                        policy.updatedAt(),
                        problem);
            }
            return;
        }
        var state = ctx.getBroadcastState(Policies.DESCRIPTOR);
        if (!Policies.supersedes(policy, state.get(policy.repo()))) {
            return;
        }
        state.put(policy.repo(), policy);
        if (first) {
            LOG.info("{}: policy updated (as of {})", policy.repo(), policy.updatedAt());
        }
    }

    /** The policy of {@code repo} as currently known, or its defaults. */
    protected final RepoPolicy policy(ReadOnlyContext ctx, String repo) throws Exception {
        return Policies.of(ctx.getBroadcastState(Policies.DESCRIPTOR), repo);
    }

    /** Events left alone so far because their labels were unknown, for tests. */
    public long eventsWithUnknownLabels() {
        return unknownLabels == null ? 0 : unknownLabels.getCount();
    }

    /** Policies refused so far (by the first subtask), for tests. */
    public long refusedPolicies() {
        return refused == null ? 0 : refused.getCount();
    }
}

package io.repostream.flink.functions;

import io.repostream.schemas.RepoPolicy;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A keyed rule that reads each repository's {@link RepoPolicy} from broadcast state, so a policy
 * published on {@code github.config.v1} changes the running job without a restart.
 */
public abstract class PolicyAwareFunction<IN, OUT>
        extends KeyedBroadcastProcessFunction<String, IN, RepoPolicy, OUT> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PolicyAwareFunction.class);

    @Override
    public final void processBroadcastElement(RepoPolicy policy, Context ctx, Collector<OUT> out)
            throws Exception {
        var state = ctx.getBroadcastState(Policies.DESCRIPTOR);
        if (!Policies.supersedes(policy, state.get(policy.repo()))) {
            return;
        }
        state.put(policy.repo(), policy);
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            // every subtask receives the policy; one log line is enough
            LOG.info("{}: policy updated (as of {})", policy.repo(), policy.updatedAt());
        }
    }

    /** The policy of {@code repo} as currently known, or its defaults. */
    protected final RepoPolicy policy(ReadOnlyContext ctx, String repo) throws Exception {
        return Policies.of(ctx.getBroadcastState(Policies.DESCRIPTOR), repo);
    }
}

package io.repostream.flink.governors;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.RepoMetrics;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs the {@link InstallationRateGovernor}, and when its input ends (a bounded job, a stop with
 * drain) releases every installation's queue at once, each action with its slot: processing-time
 * timers do not fire after the end of input, and what is queued must not be lost with them.
 */
public final class InstallationRateLimitsOperator
        extends KeyedProcessOperator<String, GovernorInput, ActionRecord>
        implements BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final InstallationRateGovernor governor;

    public InstallationRateLimitsOperator(InstallationRateGovernor governor) {
        super(governor);
        this.governor = governor;
    }

    @Override
    public void endInput() throws Exception {
        List<String> keys;
        try (Stream<String> all =
                this.<String>getKeyedStateBackend()
                        .getKeys(InstallationRateGovernor.STATE, VoidNamespace.INSTANCE)) {
            keys = all.toList();
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        for (String key : keys) {
            setCurrentKey(key);
            governor.drain(now, outputs(key, now));
        }
    }

    /** Stamped with the processing time, as what a processing-time timer emits. */
    private InstallationRateGovernor.Outputs outputs(String key, long now) {
        return new InstallationRateGovernor.Outputs() {
            @Override
            public String installation() {
                return key;
            }

            @Override
            public void action(ActionRecord action) {
                output.collect(new StreamRecord<>(action, now));
            }

            @Override
            public void signal(RepoMetrics signal) {
                output.collect(GovernorSignals.TAG, new StreamRecord<>(signal, now));
            }

            @Override
            public void dropped(AuditRecord audit) {
                output.collect(ActionDrops.AUDITS, new StreamRecord<>(audit, now));
            }

            @Override
            public void rewake(long old, long next) {
                // the queue is empty now; a timer left behind finds nothing to release
            }
        };
    }
}

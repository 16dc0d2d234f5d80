package io.repostream.flink.rules.ci;

import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/**
 * The two CI rules as the job wires them: events into the failure classifier, its failed runs
 * ({@link CiFailure#TAG}) into the re-run rule; the actions of both in the order they came.
 */
public final class CiRulesHarness implements AutoCloseable {
    public final KeyedBroadcastOperatorTestHarness<String, GitHubEvent, RepoPolicy, ActionRecord>
            classifier;
    public final KeyedBroadcastOperatorTestHarness<String, CiFailure, RepoPolicy, ActionRecord>
            retry;
    private final List<ActionRecord> actions = new ArrayList<>();
    private final List<CiFailure> failures = new ArrayList<>();

    public CiRulesHarness() throws Exception {
        classifier = RuleHarness.of(Rules.CI_CLASSIFIER);
        retry = RuleHarness.consuming(Rules.CI_RETRY);
    }

    public void processElement(GitHubEvent event, long timestamp) throws Exception {
        classifier.processElement(event, timestamp);
        forward();
        collect();
    }

    /** Event time reaches {@code timestamp} in the classifier: its timers fire. */
    public void processWatermark(long timestamp) throws Exception {
        // both inputs: the broadcast side would otherwise hold event time back
        classifier.watermark(timestamp);
        forward();
        collect();
    }

    public void processBroadcastElement(RepoPolicy policy, long timestamp) throws Exception {
        classifier.processBroadcastElement(policy, timestamp);
        retry.processBroadcastElement(policy, timestamp);
        collect();
    }

    /** Both rules' actions so far, in the order they came. */
    public List<ActionRecord> extractOutputValues() {
        return List.copyOf(actions);
    }

    /** The classifier's failed runs so far, as the re-run rule received them. */
    public List<CiFailure> failures() {
        return List.copyOf(failures);
    }

    private void forward() throws Exception {
        var records = classifier.getSideOutput(CiFailure.TAG);
        if (records == null) {
            return;
        }
        for (var record = records.poll(); record != null; record = records.poll()) {
            failures.add(record.getValue());
            retry.processElement(record);
        }
    }

    /** The classifier's CI signals. */
    public Queue<StreamRecord<RepoMetrics>> getSideOutput(
            org.apache.flink.util.OutputTag<RepoMetrics> tag) {
        return classifier.getSideOutput(tag);
    }

    private void collect() {
        for (var harness : List.of(classifier, retry)) {
            Object record;
            while ((record = harness.getOutput().poll()) != null) {
                if (record instanceof StreamRecord<?> r && r.getValue() instanceof ActionRecord a) {
                    actions.add(a);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        classifier.close();
        retry.close();
    }
}

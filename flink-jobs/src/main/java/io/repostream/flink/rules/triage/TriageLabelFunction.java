package io.repostream.flink.rules.triage;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.rules.Accounts;
import io.repostream.flink.rules.GitHubPayloads;
import io.repostream.flink.rules.PolicyAwareFunction;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * Rule {@code triage-label@1}: an issue opened without labels gets its repository's triage label.
 *
 * <p>Keyed by issue ({@code owner/repo#12}). The keyed state remembers that the issue was triaged,
 * because the same opening can arrive twice under different event ids (webhook and poller); it is
 * cleared when the issue's life ends (closed, deleted, transferred).
 */
public final class TriageLabelFunction extends PolicyAwareFunction<GitHubEvent, ActionRecord> {
    private static final long serialVersionUID = 1L;

    public static final String RULE = "triage-label@1";

    /** Garbage collection for issues whose end we never see; not a business rule. */
    private static final Duration STATE_RETENTION = Duration.ofDays(90);

    private transient ValueState<Boolean> triaged;

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        ValueStateDescriptor<Boolean> descriptor =
                new ValueStateDescriptor<>("triaged", Types.BOOLEAN);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(STATE_RETENTION).build());
        triaged = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        if (!"issues".equals(event.type()) || event.action() == null) {
            return;
        }
        switch (event.action()) {
            case "opened" -> onOpened(event, ctx, out);
            case "closed", "deleted", "transferred" -> triaged.clear();
            default -> {}
        }
    }

    private void onOpened(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        if (Boolean.TRUE.equals(triaged.value())) {
            return;
        }
        Optional<List<String>> labels = labelsOrSkip(event, RULE);
        if (labels.isEmpty() || !labels.get().isEmpty()) {
            return;
        }
        RepoPolicy policy = policy(ctx, event.repo());
        // proposed whatever the policy enables: the repo governor drops, on record, what it does
        // not
        if (Accounts.ignored(policy, GitHubPayloads.author(event))) {
            return;
        }
        triaged.update(true);
        out.collect(addTriageLabel(event, ctx.getCurrentKey(), policy));
    }

    private static ActionRecord addTriageLabel(GitHubEvent event, String issue, RepoPolicy policy) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.putArray("labels").add(policy.triage().label());
        long number = GitHubPayloads.itemNumber(event).orElseThrow();
        return new ActionRecord(
                RULE + ":" + issue,
                event.repo(),
                number,
                ActionType.ADD_LABELS,
                params,
                "issue " + issue + " was opened without labels",
                List.of("event " + event.eventId() + ": issues.opened with no labels"),
                1.0,
                RULE,
                List.of(event.eventId()),
                event.installationId(),
                event.occurredAt(),
                null,
                null,
                policy.dryRun());
    }
}

package io.repostream.flink.rules;

import io.repostream.schemas.GitHubEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Keeps only the payload fields the rules read (those they declare, {@link Rule#fields()}). Webhook
 * payloads run to tens of kilobytes, mostly URLs and repository metadata; each keyed rule gets its
 * own copy of every event over the network, so the job projects right after the source (chained: no
 * copy) and ships a few hundred bytes instead. The source itself keeps only what the rules and the
 * predictor read (see {@code GitHubEventDecoder}); the predictor reads a few fields more than the
 * rules, from the source stream.
 */
public final class RuleFields implements MapFunction<GitHubEvent, GitHubEvent> {
    private static final long serialVersionUID = 1L;

    /**
     * Fields kept for every rule: the bridge's {@link GitHubPayloads#INCOMPLETE} marker (read by
     * {@link GitHubPayloads#knownLabels}), and what the hand-kept projection before the rule
     * descriptors held that no registered rule declares (the event's {@code action}, its sender, an
     * item's state), so no event loses a field at the upgrade.
     */
    public static final List<String> SHARED =
            List.of(
                    "/" + GitHubPayloads.INCOMPLETE,
                    "/action",
                    "/sender/login",
                    "/sender/type",
                    "/issue/user/type",
                    "/issue/state",
                    "/issue/merged",
                    "/issue/pull_request/url",
                    "/pull_request/user/type",
                    "/pull_request/state",
                    "/pull_request/merged",
                    "/pull_request/pull_request/url",
                    "/review/state");

    /**
     * What the job keeps, as a {@link PayloadProjection} spec: the fields every registered rule
     * declares ({@link Rule#fields()}) and {@link #SHARED}.
     */
    public static final Map<String, Object> KEPT = kept(Rules.REGISTERED);

    private final Map<String, Object> kept;

    /** The job's projection: {@link #KEPT}. */
    public RuleFields() {
        this(KEPT);
    }

    private RuleFields(Map<String, Object> kept) {
        this.kept = kept;
    }

    /**
     * The projection that keeps only what {@code rule} declares (and the incomplete marker): rule
     * tests run their events through it, so a field a rule reads but does not declare fails a test
     * rather than reading as absent in production.
     */
    public static RuleFields declaredBy(Rule<?> rule) {
        List<String> fields = new ArrayList<>(rule.fields());
        fields.add("/" + GitHubPayloads.INCOMPLETE);
        return new RuleFields(PayloadFields.spec(fields));
    }

    private static Map<String, Object> kept(List<Rule<?>> rules) {
        List<String> fields = new ArrayList<>(SHARED);
        for (Rule<?> rule : rules) {
            fields.addAll(rule.fields());
        }
        return PayloadFields.spec(fields);
    }

    @Override
    public GitHubEvent map(GitHubEvent event) {
        return new GitHubEvent(
                event.eventId(),
                event.source(),
                event.type(),
                event.action(),
                event.repo(),
                event.org(),
                event.installationId(),
                event.occurredAt(),
                event.receivedAt(),
                PayloadProjection.project(event.payload(), kept));
    }
}

package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.json.SchemaCompatibility;
import io.repostream.schemas.json.SchemaCompatibility.AddedEnumValue;
import io.repostream.schemas.json.SchemaCompatibility.Report;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every topic is a contract (ARCHITECTURE.md rule 9): its schema changes additively only, checked
 * against the copy of the schema as released under {@code released-v1/} (see the README there).
 * Records written now pass the released schema, except for enum values added since, which the
 * schema's description announces.
 */
class TopicContractTest {

    /**
     * Breaks made before this check existed, each with the commit that made it. Listed so that they
     * stay known; a new break fails the test, and so does a listed one that is gone.
     */
    private static final Map<String, Set<String>> KNOWN_BREAKS =
            Map.of(
                    "repo-policy.v1",
                    Set.of(
                            // 9160aaf: a calendar without working days never runs its clock
                            "CONSTRAINT_TIGHTENED at /calendar/working_days",
                            // 70b43cd: SLA targets and retry delays longer than zero (no "-P...")
                            "CONSTRAINT_TIGHTENED at /sla/targets/*/first_response",
                            "CONSTRAINT_TIGHTENED at /sla/targets/*/resolution",
                            "CONSTRAINT_TIGHTENED at /retry/base_delay",
                            "CONSTRAINT_TIGHTENED at /retry/max_delay"));

    /**
     * Enum values added since the release: readers must tolerate them, and the schema's description
     * says what each means. Records carrying one fail the released schema (its enum), which is the
     * one exception the records test allows.
     */
    private static final Set<String> NEW_ENUM_VALUES =
            Set.of(
                    // 8b206ce: the Flink job's governors audit the actions they drop
                    "audit-record.v1 /outcome dropped",
                    // reads as actions (ARCHITECTURE.md rule 8): the read type, its audit
                    // outcome, and the source of the events that carry its result
                    "action-record.v1 /type read_collaborator_permission",
                    "audit-record.v1 /action_type read_collaborator_permission",
                    "snapshot.v1 /action_type read_collaborator_permission",
                    // merge automation (issue 16): git refs, merges, check runs and statuses
                    "repo-policy.v1 /enabled_actions/* create_check_run",
                    "repo-policy.v1 /enabled_actions/* create_commit_status",
                    "repo-policy.v1 /enabled_actions/* create_ref",
                    "repo-policy.v1 /enabled_actions/* update_ref",
                    "repo-policy.v1 /enabled_actions/* delete_ref",
                    "repo-policy.v1 /enabled_actions/* merge_branch",
                    "audit-record.v1 /before/kind ref",
                    "audit-record.v1 /before/kind check_run",
                    "audit-record.v1 /before/kind commit_status",
                    "audit-record.v1 /after/kind ref",
                    "audit-record.v1 /after/kind check_run",
                    "audit-record.v1 /after/kind commit_status",
                    "snapshot.v1 /before/kind ref",
                    "snapshot.v1 /before/kind check_run",
                    "snapshot.v1 /before/kind commit_status",
                    "action-record.v1 /type create_check_run",
                    "audit-record.v1 /action_type create_check_run",
                    "snapshot.v1 /action_type create_check_run",
                    "action-record.v1 /type create_commit_status",
                    "audit-record.v1 /action_type create_commit_status",
                    "snapshot.v1 /action_type create_commit_status",
                    "action-record.v1 /type create_ref",
                    "audit-record.v1 /action_type create_ref",
                    "snapshot.v1 /action_type create_ref",
                    "action-record.v1 /type update_ref",
                    "audit-record.v1 /action_type update_ref",
                    "snapshot.v1 /action_type update_ref",
                    "action-record.v1 /type delete_ref",
                    "audit-record.v1 /action_type delete_ref",
                    "snapshot.v1 /action_type delete_ref",
                    "action-record.v1 /type merge_branch",
                    "audit-record.v1 /action_type merge_branch",
                    "snapshot.v1 /action_type merge_branch",
                    // issue 15: a file read for the rules (CODEOWNERS, .github/repostream.yml)
                    "action-record.v1 /type read_file",
                    "audit-record.v1 /action_type read_file",
                    "snapshot.v1 /action_type read_file",
                    // SLA escalation (issue 17): notifications as actions
                    "repo-policy.v1 /enabled_actions/* notify_slack",
                    "repo-policy.v1 /enabled_actions/* pagerduty_event",
                    "action-record.v1 /type notify_slack",
                    "audit-record.v1 /action_type notify_slack",
                    "snapshot.v1 /action_type notify_slack",
                    "action-record.v1 /type pagerduty_event",
                    "audit-record.v1 /action_type pagerduty_event",
                    "snapshot.v1 /action_type pagerduty_event",
                    // issue 18: the compare read of the completion rule
                    "action-record.v1 /type read_compare",
                    "audit-record.v1 /action_type read_compare",
                    "snapshot.v1 /action_type read_compare",
                    "audit-record.v1 /before/kind notification",
                    "audit-record.v1 /after/kind notification",
                    "snapshot.v1 /before/kind notification",
                    // issue 21: a job's log read for the CI failure classifier
                    "action-record.v1 /type read_job_log",
                    "audit-record.v1 /action_type read_job_log",
                    "snapshot.v1 /action_type read_job_log",
                    "audit-record.v1 /outcome read",
                    "github-event.v1 /source enrichment",
                    "github-event.v1 /source backfill");

    private static final JsonSchemaFactory FACTORY =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    static JsonNode releasedDocument(String name) {
        String path = "/released-v1/" + name + ".schema.json";
        try (InputStream in = TopicContractTest.class.getResourceAsStream(path)) {
            assertThat(in).as("the released copy " + path + " (see its README)").isNotNull();
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema releasedSchema(String name) {
        return FACTORY.getSchema(
                releasedDocument(name),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    }

    private static String schemaName(Topic<String, ?> topic) {
        return topic.valueCodec().schema().name();
    }

    private static Report compare(Topic<String, ?> topic) {
        return SchemaCompatibility.compare(
                releasedDocument(schemaName(topic)), topic.valueCodec().schema().document());
    }

    static Stream<Arguments> topics() {
        return Topics.all().stream().map(t -> Arguments.of(t.name(), t));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void theSchemaChangedOnlyAdditivelySinceTheRelease(String name, Topic<String, ?> topic) {
        List<String> breaks =
                compare(topic).breaks().stream()
                        .map(b -> b.rule() + " at " + b.path())
                        .distinct()
                        .toList();

        assertThat(breaks)
                .as(compare(topic).breaks().toString())
                .containsExactlyInAnyOrderElementsOf(
                        KNOWN_BREAKS.getOrDefault(schemaName(topic), Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void everyEnumValueAddedSinceTheReleaseIsAnnouncedInTheSchemasDescription(
            String name, Topic<String, ?> topic) {
        for (AddedEnumValue added : compare(topic).addedEnumValues()) {
            assertThat(
                            Pattern.compile("\\b" + Pattern.quote(added.value()) + ":")
                                    .matcher(added.description())
                                    .find())
                    .as(
                            "%s at %s of %s is new since the release: say what it means in the"
                                    + " description there, as '%1$s: ...' (readers must"
                                    + " tolerate it)",
                            added.value(), added.path(), schemaName(topic))
                    .isTrue();
        }
    }

    @org.junit.jupiter.api.Test
    void theEnumValuesAddedSinceTheReleaseAreTheOnesListed() {
        List<String> added =
                Topics.all().stream()
                        .flatMap(
                                t ->
                                        compare(t).addedEnumValues().stream()
                                                .map(
                                                        a ->
                                                                schemaName(t)
                                                                        + " "
                                                                        + a.path()
                                                                        + " "
                                                                        + a.value()))
                        .toList();

        assertThat(added).containsExactlyInAnyOrderElementsOf(NEW_ENUM_VALUES);
    }

    /** A record written now, as its topic's codec writes it. */
    record Written(Topic<String, ?> topic, String what, JsonNode tree) {
        @Override
        public String toString() {
            return topic.name() + ": " + what;
        }
    }

    @SuppressWarnings("unchecked")
    private static <V> Written written(Topic<String, V> topic, String what, Object record) {
        return new Written(topic, what, topic.valueCodec().toTree((V) record));
    }

    private static <E extends Enum<E> & WireEnum> Stream<Written> everyValue(
            Written sample, Class<E> type, String field) {
        return Arrays.stream(type.getEnumConstants())
                .map(
                        v -> {
                            ObjectNode copy = ((ObjectNode) sample.tree()).deepCopy();
                            copy.put(field, v.wireName());
                            return new Written(sample.topic(), field + " " + v.wireName(), copy);
                        });
    }

    /** As flink-jobs' ActionDrops writes it: no GitHub call, so no state, status or limits. */
    private static AuditRecord droppedByAGovernor() {
        ActionRecord action = SampleRecords.action();
        return new AuditRecord(
                action.actionId() + "/dropped",
                action.actionId(),
                action.repo(),
                action.target(),
                action.type(),
                AuditOutcome.DROPPED,
                null,
                null,
                null,
                null,
                "budget: the repo's action budget is 0",
                action.producedBy(),
                action.causedBy(),
                ActionMetadata.of(action),
                SampleRecords.T0,
                SampleRecords.T0);
    }

    static Stream<Written> recordsWrittenNow() {
        Written audit = written(Topics.AUDIT, "audit", SampleRecords.audit());
        Written action = written(Topics.ACTIONS, "action", SampleRecords.action());
        Written event = written(Topics.EVENTS, "event", SampleRecords.event());
        Written snapshot = written(Topics.SNAPSHOTS, "snapshot", SampleRecords.snapshot());
        List<Written> rows = new ArrayList<>();
        rows.addAll(
                List.of(
                        event,
                        written(Topics.EVENTS_DLQ, "dead letter", SampleRecords.deadLetter()),
                        action,
                        written(Topics.ACTIONS, "on a typed run", SampleRecords.actionOnARun()),
                        written(Topics.ACTIONS, "on a typed ref", SampleRecords.actionOnARef()),
                        snapshot,
                        written(Topics.SNAPSHOTS, "on a typed run", SampleRecords.snapshotOnARun()),
                        audit,
                        written(Topics.AUDIT, "on a typed ref", SampleRecords.auditOnARef()),
                        written(Topics.AUDIT, "dropped by a governor", droppedByAGovernor()),
                        written(Topics.CONFIG, "every field set", SampleRecords.policy()),
                        written(
                                Topics.CONFIG,
                                "the defaults",
                                RepoPolicy.defaults("octo-org/hello-world")),
                        written(Topics.CONTROL, "kill switch", SampleRecords.control()),
                        written(Topics.PREDICTIONS, "prediction", SampleRecords.prediction()),
                        written(
                                Topics.TRAINING_EXAMPLES,
                                "training example",
                                SampleRecords.trainingExample()),
                        written(Topics.MODELS, "model", SampleRecords.model()),
                        written(Topics.METRICS, "metrics", SampleRecords.metrics())));
        Stream.of(
                        everyValue(audit, AuditOutcome.class, "outcome"),
                        everyValue(audit, ActionType.class, "action_type"),
                        everyValue(action, ActionType.class, "type"),
                        everyValue(snapshot, ActionType.class, "action_type"),
                        everyValue(event, EventSource.class, "source"))
                .flatMap(s -> s)
                .forEach(rows::add);
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordsWrittenNow")
    void everyRecordWrittenNowPassesTheReleasedSchemaButForAnnouncedNewEnumValues(Written record) {
        Set<String> newValues = new java.util.HashSet<>();
        compare(record.topic()).addedEnumValues().forEach(a -> newValues.add(a.value()));

        List<String> violations = new ArrayList<>();
        for (ValidationMessage m :
                releasedSchema(schemaName(record.topic())).validate(record.tree())) {
            boolean announcedNewValue =
                    m.getType().equals("enum")
                            && m.getInstanceNode() != null
                            && newValues.contains(m.getInstanceNode().asText());
            if (!announcedNewValue) {
                violations.add(m.getMessage());
            }
        }

        assertThat(violations).as(record.tree().toString()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void everyTopicHasAReleasedCopyOfItsSchema() {
        assertThat(Topics.all())
                .allSatisfy(
                        t ->
                                assertThat(
                                                TopicContractTest.class.getResource(
                                                        "/released-v1/"
                                                                + schemaName(t)
                                                                + ".schema.json"))
                                        .as(t.name())
                                        .isNotNull());
    }
}

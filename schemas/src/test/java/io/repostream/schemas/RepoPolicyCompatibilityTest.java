package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code github.config.v1} is a contract (rule 9: v1 changes additively only). {@code
 * released-v1/repo-policy.v1.schema.json} is the schema as first released: what readers that
 * validate records may still use. Every record written now must pass it, and every record it
 * accepted must still be read the same way.
 */
class RepoPolicyCompatibilityTest {
    private static final JsonSchema RELEASED = released();

    /** The released schema's document. */
    static JsonNode releasedDocument() {
        try (InputStream in =
                RepoPolicyCompatibilityTest.class.getResourceAsStream(
                        "/released-v1/repo-policy.v1.schema.json")) {
            return Json.mapper().readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonSchema released() {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(
                        releasedDocument(),
                        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    }

    /**
     * The defaults as the previous release wrote them on the topic (its flat record, every field
     * written): what a compacted {@code github.config.v1} holds at upgrade.
     */
    static final String WRITTEN_BY_THE_PREVIOUS_RELEASE =
            """
            {"repo":"octo-org/a","triage_label":"needs-triage",
             "enabled_actions":["add_labels","remove_label","create_comment","close_issue",
               "reopen_issue","add_assignees","remove_assignees","request_reviewers",
               "rerun_failed_jobs","rerun_workflow"],
             "dry_run":false,"action_budget_per_hour":300,
             "sla":{"targets":{"P0":{"first_response":"PT5M","resolution":"PT4H"},
               "P1":{"first_response":"PT30M","resolution":"PT24H"},
               "P2":{"first_response":"PT2H","resolution":"PT120H"},
               "P3":{"first_response":"PT24H","resolution":"PT720H"}},
               "priority_labels":{"P0":"P0","P1":"P1","P2":"P2","P3":"P3",
               "priority/critical":"P0","priority/high":"P1","priority/medium":"P2",
               "priority/low":"P3"},
               "default_priority":"P2","warn_fraction":0.8,"business_hours_only":false,
               "escalate_to":[]},
             "calendar":{"time_zone":"UTC","working_days":["MONDAY","TUESDAY","WEDNESDAY",
               "THURSDAY","FRIDAY","SATURDAY","SUNDAY"],"start":"00:00",
               "end":"23:59:59.999999999","holidays":[]},
             "ignore_users":[],"failure_patterns":{},
             "retry":{"max_attempts":3,"base_delay":"PT1M","max_delay":"PT30M"},
             "updated_at":"1970-01-01T00:00:00Z",
             "ci_risk":{"medium":0.3,"high":0.5,"critical":0.75,"label_high_risk":false}}
            """;

    @Test
    void aRecordThePreviousReleaseWroteIsReadAsTheDefaultsWithTodaysRulesOn() {
        RepoPolicy read = decode(WRITTEN_BY_THE_PREVIOUS_RELEASE);

        assertThat(read).isEqualTo(RepoPolicy.defaults("octo-org/a"));
        for (String section : RepoPolicy.LEGACY_SECTIONS) {
            assertThat(read.mode(section)).as(section).isEqualTo(RepoPolicy.Mode.ON);
        }
        assertThat(read.mode("merge_queue")).isEqualTo(RepoPolicy.Mode.OFF);
    }

    @Test
    void aSectionedPolicyTurnsOffEveryRuleWhoseSectionItLeavesOut() {
        RepoPolicy read =
                decode(
                        "{\"repo\": \"octo-org/a\", \"policy_version\": 2,"
                                + " \"sla\": {\"mode\": \"shadow\"}}");

        assertThat(read.mode("triage")).isEqualTo(RepoPolicy.Mode.OFF);
        assertThat(read.mode("sla")).isEqualTo(RepoPolicy.Mode.SHADOW);
        assertThat(read.mode("ci")).isEqualTo(RepoPolicy.Mode.OFF);
    }

    @Test
    void aPolicyWrittenNowRepeatsTheFlatFieldsForReadersThatKnowOnlyThem() {
        JsonNode written = Topics.CONFIG.valueCodec().toTree(SampleRecords.policy());

        assertThat(written.path("policy_version").asInt()).isEqualTo(2);
        assertThat(written.path("triage_label").asText()).isEqualTo("triage");
        assertThat(written.path("calendar")).isEqualTo(written.path("sla").path("calendar"));
        assertThat(written.path("failure_patterns"))
                .isEqualTo(written.path("ci").path("failure_patterns"));
        assertThat(written.path("retry")).isEqualTo(written.path("ci").path("retry"));
        assertThat(written.path("ci_risk")).isEqualTo(written.path("ci").path("risk"));
    }

    private static RepoPolicy decode(String json) {
        return Topics.CONFIG.valueCodec().decode(json.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> policiesWrittenNow() {
        return Stream.of(
                Arguments.of("the defaults", RepoPolicy.defaults("octo-org/hello-world")),
                Arguments.of("every field set", SampleRecords.policy()),
                Arguments.of(
                        "every section off",
                        decode("{\"repo\": \"octo-org/a\", \"policy_version\": 2}")),
                Arguments.of("only a repo", decode("{\"repo\": \"octo-org/hello-world\"}")),
                Arguments.of(
                        "retry without max_attempts, short durations",
                        decode(
                                "{\"repo\": \"octo-org/a\", \"retry\": {\"base_delay\": \"1m30s\"},"
                                        + " \"sla\": {\"targets\": {\"P0\": {\"first_response\":"
                                        + " \"5m\", \"resolution\": \"1d12h\"}}}}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policiesWrittenNow")
    void everyPolicyWrittenNowPassesTheReleasedSchema(String what, RepoPolicy policy) {
        JsonNode written = Topics.CONFIG.valueCodec().toTree(policy);

        assertThat(RELEASED.validate(written)).as(written.toString()).isEmpty();
    }

    static Stream<Arguments> recordsTheReleasedSchemaAccepts() {
        return Stream.of(
                Arguments.of("{\"repo\": \"octo-org/a\", \"action_budget_per_hour\": 0}", 0),
                Arguments.of(
                        "{\"repo\": \"octo-org/a\", \"retry\": {\"max_attempts\": 2,"
                                + " \"base_delay\": \"P1DT0.5S\", \"max_delay\": \"P2D\"}}",
                        300),
                Arguments.of(RepoPolicyDefaultsTest.EVERY_FIELD_SET, 120),
                Arguments.of(WRITTEN_BY_THE_PREVIOUS_RELEASE, 300));
    }

    @ParameterizedTest
    @MethodSource("recordsTheReleasedSchemaAccepts")
    void everyRecordTheReleasedSchemaAcceptsIsStillReadWithWhatItSays(String json, int budget)
            throws Exception {
        assertThat(RELEASED.validate(Json.mapper().readTree(json))).isEmpty();

        RepoPolicy read = decode(json);

        // an explicit 0 stays 0: only a field left out gets the default
        assertThat(read.actionBudgetPerHour()).isEqualTo(budget);
        assertThat(decode(Topics.CONFIG.valueCodec().toTree(read).toString())).isEqualTo(read);
    }
}

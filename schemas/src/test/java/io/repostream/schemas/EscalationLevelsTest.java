package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.repostream.schemas.RepoPolicy.EscalationLevel;
import io.repostream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code sla.escalate_to} takes escalation levels beside its logins (issue 17): policies written
 * before still load as they were, the levels are read in order, and a record written now is still
 * one the released schema (and so the previous release's readers) accepts.
 */
class EscalationLevelsTest {
    private static final JsonSchema RELEASED =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(
                            RepoPolicyCompatibilityTest.releasedDocument(),
                            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

    private static RepoPolicy decode(String json) {
        return Topics.CONFIG.valueCodec().decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static final String WITH_LEVELS =
            """
            {"repo": "octo-org/a", "policy_version": 2,
             "sla": {"escalate_to": ["octo-lead",
                {"slack_channel": "#sla-oncall"},
                {"slack_channel": "#eng-leads", "pagerduty_routing_key": "team-oncall",
                 "wait": "30m"}]}}
            """;

    @Test
    void aPolicyWithLoginsOnlyLoadsAsBeforeWithoutLevels() {
        RepoPolicy policy =
                decode(
                        "{\"repo\": \"octo-org/a\", \"policy_version\": 2,"
                                + " \"sla\": {\"escalate_to\": [\"octo-lead\"]}}");

        assertThat(policy.sla().escalateTo()).containsExactly("octo-lead");
        assertThat(policy.sla().escalationLevels()).isEmpty();
    }

    @Test
    void anIncidentsReportIsACommentOnlyWhenTheSectionSaysSo() {
        RepoPolicy asked =
                decode(
                        "{\"repo\": \"octo-org/a\", \"policy_version\": 2,"
                                + " \"sla\": {\"incident_report_comment\": true}}");

        assertThat(decode(WITH_LEVELS).sla().incidentReportComment()).isFalse();
        assertThat(asked.sla().incidentReportComment()).isTrue();
        JsonNode written = Topics.CONFIG.valueCodec().toTree(asked);
        assertThat(RELEASED.validate(written)).as(written.toString()).isEmpty();
        assertThat(decode(written.toString())).isEqualTo(asked);
    }

    @Test
    void thePreviousReleasesRecordLoadsWithoutLevels() {
        RepoPolicy policy = decode(RepoPolicyCompatibilityTest.WRITTEN_BY_THE_PREVIOUS_RELEASE);

        assertThat(policy.sla().escalateTo()).isEmpty();
        assertThat(policy.sla().escalationLevels()).isEmpty();
    }

    @Test
    void readsTheLevelsAmongTheLoginsInOrderWithTheDefaultWait() {
        RepoPolicy policy = decode(WITH_LEVELS);

        assertThat(policy.sla().escalateTo()).containsExactly("octo-lead");
        assertThat(policy.sla().escalationLevels())
                .containsExactly(
                        new EscalationLevel("#sla-oncall", null, Duration.ofMinutes(15)),
                        new EscalationLevel("#eng-leads", "team-oncall", Duration.ofMinutes(30)));
    }

    @Test
    void writesTheLevelsApartFromTheLoginsSoThatTheReleasedSchemaStillAcceptsTheRecord() {
        RepoPolicy policy = decode(WITH_LEVELS);

        JsonNode written = Topics.CONFIG.valueCodec().toTree(policy);

        assertThat(written.path("sla").path("escalate_to").toString()).isEqualTo("[\"octo-lead\"]");
        assertThat(written.path("sla").path("escalation_levels")).hasSize(2);
        assertThat(RELEASED.validate(written)).as(written.toString()).isEmpty();
        assertThat(decode(written.toString())).isEqualTo(policy);
    }

    @Test
    void theCurrentSchemaAcceptsThePolicyFileForm() throws Exception {
        JsonSchema current =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                        .getSchema(
                                EscalationLevelsTest.class.getResourceAsStream(
                                        "/schemas/repo-policy.v1.schema.json"));

        assertThat(current.validate(io.repostream.schemas.json.Json.mapper().readTree(WITH_LEVELS)))
                .isEmpty();
    }

    static Stream<Arguments> refusedLevels() {
        return Stream.of(
                Arguments.of("{}", "slack_channel, a pagerduty_routing_key or both"),
                Arguments.of(
                        "{\"slack_channel\": \"not a channel\"}",
                        "/sla/escalate_to/0/slack_channel"),
                Arguments.of(
                        "{\"pagerduty_routing_key\": \"0123456789abcdef0123456789abcdef\"}",
                        "looks like a routing key itself"),
                Arguments.of("{\"slack_channel\": \"#x\", \"wait\": \"0m\"}", "wait"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedLevels")
    void refusesALevelThatCannotBeToldAndSaysWhy(String level, String message) {
        String json =
                "{\"repo\": \"octo-org/a\", \"policy_version\": 2, \"sla\": {\"escalate_to\": ["
                        + level
                        + "]}}";

        assertThatThrownBy(() -> decode(json))
                .hasStackTraceContaining(message)
                .satisfies(
                        e ->
                                assertThat(e.toString())
                                        .doesNotContain("0123456789abcdef0123456789abcdef"));
    }
}

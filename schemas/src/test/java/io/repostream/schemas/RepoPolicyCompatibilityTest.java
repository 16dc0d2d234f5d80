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

    private static JsonSchema released() {
        try (InputStream in =
                RepoPolicyCompatibilityTest.class.getResourceAsStream(
                        "/released-v1/repo-policy.v1.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(
                            Json.mapper().readTree(in),
                            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static RepoPolicy decode(String json) {
        return Topics.CONFIG.valueCodec().decode(json.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> policiesWrittenNow() {
        return Stream.of(
                Arguments.of("the defaults", RepoPolicy.defaults("octo-org/hello-world")),
                Arguments.of("every field set", SampleRecords.policy()),
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
                Arguments.of(RepoPolicyDefaultsTest.EVERY_FIELD_SET, 120));
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

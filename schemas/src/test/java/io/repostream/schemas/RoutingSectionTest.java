package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.schemas.RepoPolicy.Mode;
import io.repostream.schemas.json.Json;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A section given as {@code routing: {}} has the design's weights and is on (whether it is on when
 * absent: {@link CommandsSectionTest}); what it refuses.
 */
class RoutingSectionTest {
    @Test
    void anEmptySectionHasTheDesignsWeights() throws Exception {
        Routing routing =
                Json.mapper()
                        .readValue("{\"repo\":\"o/r\",\"routing\":{}}", RepoPolicy.class)
                        .routing();

        assertThat(routing.mode()).isEqualTo(Mode.ON);
        assertThat(routing.weights().expertise()).isEqualTo(0.35);
        assertThat(routing.weights().workload()).isEqualTo(0.25);
        assertThat(routing.weights().responseTime()).isEqualTo(0.20);
        assertThat(routing.weights().availability()).isEqualTo(0.15);
        assertThat(routing.weights().performance()).isEqualTo(0.05);
        assertThat(routing.maxOpenAssignments()).isEqualTo(5);
        assertThat(routing.assignIssues()).isTrue();
        assertThat(routing.requestReviewers()).isTrue();
        assertThat(routing.codeowners()).isTrue();
        assertThat(routing.expertiseHalfLife()).isEqualTo(Duration.ofDays(90));
        assertThat(routing.candidates()).isEmpty();
        assertThat(routing.reassignOnSlaWarning()).isFalse();
    }

    @Test
    void reassignsAtAnSlaWarningOnlyWhenTheSectionSaysSo() throws Exception {
        String json = "{\"repo\":\"o/r\",\"routing\":{\"reassign_on_sla_warning\":true}}";
        RepoPolicy policy = Json.mapper().readValue(json, RepoPolicy.class);

        assertThat(policy.routing().reassignOnSlaWarning()).isTrue();
        // and it survives the topic's round trip
        RepoPolicy again =
                Json.mapper().readValue(Json.mapper().writeValueAsString(policy), RepoPolicy.class);
        assertThat(again.routing().reassignOnSlaWarning()).isTrue();
    }

    @Test
    void aCandidateWorksNineToFiveOnWeekdaysInUtcUnlessTheySaySo() throws Exception {
        Routing routing =
                Json.mapper()
                        .readValue(
                                "{\"repo\":\"o/r\",\"routing\":{\"candidates\":[{\"login\":\"a\"},"
                                        + "{\"login\":\"b\",\"time_zone\":\"Asia/Tokyo\","
                                        + "\"start\":\"10:00\",\"end\":\"02:00\"}]}}",
                                RepoPolicy.class)
                        .routing();

        Routing.Candidate a = routing.candidate("A");
        assertThat(a.timeZone()).isEqualTo("UTC");
        assertThat(a.workingDays()).doesNotContain(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        assertThat(a.start()).isEqualTo(LocalTime.of(9, 0));
        assertThat(a.end()).isEqualTo(LocalTime.of(17, 0));
        assertThat(routing.candidate("b").end()).isEqualTo(LocalTime.of(2, 0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a login twice | {\"candidates\":[{\"login\":\"a\"},{\"login\":\"A\"}]} | twice",
                "a team | {\"candidates\":[{\"login\":\"org/team\"}]} | teams cannot",
                "an unknown zone | {\"candidates\":[{\"login\":\"a\",\"time_zone\":\"Mars/Base\"}]}"
                        + " | not a known time zone",
                "a negative weight | {\"weights\":{\"workload\":-1}} | >= 0",
                "every weight 0 | {\"weights\":{\"expertise\":0,\"workload\":0,\"response_time\":0,"
                        + "\"availability\":0,\"performance\":0}} | not all be 0",
                "a cap of 0 | {\"max_open_assignments\":0} | >= 1",
            })
    void refuses(String name, String section, String message) {
        assertThatThrownBy(
                        () ->
                                Json.mapper()
                                        .readValue(
                                                "{\"repo\":\"o/r\",\"routing\":" + section + "}",
                                                RepoPolicy.class))
                .hasMessageContaining(message);
    }
}

package io.repostream.flink.rules.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.repostream.flink.rules.routing.RoutingState.Person;
import io.repostream.flink.rules.routing.RoutingState.Weight;
import io.repostream.schemas.Routing;
import io.repostream.schemas.Routing.Candidate;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The parts of a candidate's score, each between 0 and 1. */
class RoutingScoresTest {
    private static final Candidate TOKYO_EVENINGS =
            new Candidate(
                    "alice",
                    "Asia/Tokyo",
                    List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY),
                    LocalTime.of(18, 0),
                    LocalTime.of(2, 0));

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // Monday 2026-03-02 in Tokyo is UTC+9
                "Monday 18:30 Tokyo | 2026-03-02T09:30:00Z | true",
                "Monday 17:59 Tokyo | 2026-03-02T08:59:00Z | false",
                "Tuesday 01:30 Tokyo, Monday's evening | 2026-03-02T16:30:00Z | true",
                "Tuesday 02:00 Tokyo, the end | 2026-03-02T17:00:00Z | false",
                "Wednesday 01:00 Tokyo, Tuesday's evening | 2026-03-03T16:00:00Z | true",
                "Thursday 01:00 Tokyo, Wednesday is not a working day | 2026-03-04T16:00:00Z | false",
            })
    void workingHoursAreTheCandidatesInTheirZoneAcrossMidnight(
            String name, String at, boolean working) {
        assertThat(RoutingScores.working(TOKYO_EVENINGS, Instant.parse(at))).isEqualTo(working);
    }

    @Test
    void responseTimeIsTheMedianAgainstADay() {
        Person p = new Person();
        assertThat(RoutingScores.responseTime(p)).isEqualTo(0.5);
        p.responses.addAll(
                List.of(Duration.ofDays(3).toMillis(), 0L, Duration.ofDays(1).toMillis()));
        assertThat(RoutingScores.responseTime(p)).isCloseTo(0.5, within(1e-9));
        p.responses.add(Duration.ofDays(2).toMillis());
        assertThat(RoutingScores.responseTime(p)).isCloseTo(1 / 2.5, within(1e-9));
    }

    @Test
    void expertiseHalvesEveryHalfLife() {
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        Weight w = new Weight(4, now.minus(Duration.ofDays(180)).toEpochMilli());

        assertThat(RoutingScores.decayed(w, Duration.ofDays(90), now)).isCloseTo(1, within(1e-9));
    }

    @Test
    void workloadAndPerformance() {
        Person p = new Person();
        p.open.addAll(List.of("o/r#1", "o/r#2"));
        assertThat(RoutingScores.workload(p, 5)).isCloseTo(0.6, within(1e-9));
        assertThat(RoutingScores.performance(p)).isEqualTo(0.5);
        p.merged = 4;
        p.reverted = 1;
        assertThat(RoutingScores.performance(p)).isEqualTo(0.75);
    }

    @Test
    void aCodeOwnerWithoutHistoryIsTheMostExpertAndTiesGoAlphabetically() {
        Routing routing = Routing.builder().build();
        Instant now = Instant.parse("2026-03-02T10:00:00Z");

        var ranked =
                RoutingScores.rank(
                        List.of("zed", "bob", "amy"),
                        Map.of(),
                        routing,
                        "o/r",
                        List.of("bug"),
                        Set.of("zed"),
                        now);

        assertThat(ranked)
                .extracting(RoutingScores.Score::login)
                .containsExactly("zed", "amy", "bob");
        assertThat(ranked.get(0).expertise()).isEqualTo(1.0);
        assertThat(ranked.get(1).expertise()).isEqualTo(0.0);
    }
}

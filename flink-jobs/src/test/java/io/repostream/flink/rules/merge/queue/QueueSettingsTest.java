package io.repostream.flink.rules.merge.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.schemas.MergeQueue;
import io.repostream.schemas.MergeQueue.MergeMethod;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueueSettingsTest {
    private static final MergeQueue.Branch MAIN =
            MergeQueue.Branch.builder("main")
                    .requiredChecks("build")
                    .batchSize(5)
                    .ciBudget(2)
                    .checkTimeout(Duration.ofMinutes(45))
                    .mergeMethod(MergeMethod.SQUASH)
                    .timeZone("Europe/Berlin")
                    .windows(
                            new MergeQueue.Window(
                                    List.of(DayOfWeek.MONDAY),
                                    LocalTime.of(9, 0),
                                    LocalTime.of(17, 0)))
                    .freezes(
                            new MergeQueue.Freeze(
                                    Instant.parse("2026-12-07T10:00:00Z"),
                                    Instant.parse("2026-12-07T11:00:00Z"),
                                    "release"))
                    .flakeReruns(false)
                    .build();

    @Test
    void takesEveryQueueSettingFromThePolicysBranch() {
        QueueSettings settings = QueueSettings.of("main", MAIN);
        assertThat(settings.requiredChecks()).containsExactly("build");
        assertThat(settings.batchSize()).isEqualTo(5);
        assertThat(settings.ciBudget()).isEqualTo(2);
        assertThat(settings.checkTimeout()).isEqualTo(Duration.ofMinutes(45));
        assertThat(settings.mergeMethod()).isEqualTo(MergeMethod.SQUASH);
        assertThat(settings.flakeAware()).isFalse();
        assertThat(settings.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "2026-12-07T07:59:00Z, false, before 09:00 in Berlin",
        "2026-12-07T08:00:00Z, true, 09:00 in Berlin",
        "2026-12-07T10:30:00Z, false, in the freeze",
        "2026-12-07T15:59:00Z, true, 16:59 in Berlin",
        "2026-12-07T16:00:00Z, false, 17:00 in Berlin: closed",
        "2026-12-08T10:00:00Z, false, a Tuesday",
    })
    void isOpenInsideAWindowOfItsTimeZoneAndOutsideEveryFreeze(
            String at, boolean open, String why) {
        QueueSettings settings = QueueSettings.of("main", MAIN);
        assertThat(settings.open(Instant.parse(at))).as(why).isEqualTo(open);
        assertThat(settings.closedBecause(Instant.parse(at)) == null).isEqualTo(open);
    }

    @Test
    void aQueueWithoutRequiredChecksIsRefused() {
        assertThatThrownBy(() -> QueueSettings.of("main", MergeQueue.Branch.of("main")))
                .hasMessageContaining("needs at least one required check");
    }
}

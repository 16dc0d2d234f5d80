package io.repostream.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SeenDeliveriesTest {
    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void anIdIsSeenOnlyAfterItsWriteSucceeded() {
        SeenDeliveries seen = new SeenDeliveries(Duration.ofHours(1), 100, clock);

        assertThat(seen.claim("a")).isInstanceOf(SeenDeliveries.First.class);
        seen.finished("a", false);
        assertThat(seen.claim("a")).isInstanceOf(SeenDeliveries.First.class);
        seen.finished("a", true);
        assertThat(seen.claim("a")).isInstanceOf(SeenDeliveries.Seen.class);
    }

    @Test
    void aSecondClaimWhileWritingWaitsForTheFirstWrite() {
        SeenDeliveries seen = new SeenDeliveries(Duration.ofHours(1), 100, clock);
        seen.claim("a");

        SeenDeliveries.Claim second = seen.claim("a");

        assertThat(second).isInstanceOf(SeenDeliveries.Pending.class);
        var written = ((SeenDeliveries.Pending) second).written();
        assertThat(written).isNotDone();
        seen.finished("a", true);
        assertThat(written).isCompletedWithValue(true);
    }

    @Test
    void idsOlderThanTheWindowAreForgotten() {
        SeenDeliveries seen = new SeenDeliveries(Duration.ofHours(1), 100, clock);

        seen.add("old", NOW.minus(Duration.ofHours(2)).toEpochMilli());
        seen.add("recent", NOW.minus(Duration.ofMinutes(5)).toEpochMilli());

        assertThat(seen.contains("old")).isFalse();
        assertThat(seen.contains("recent")).isTrue();
    }

    @Test
    void readingBackAnIdAlreadyKnownMoreRecentlyKeepsTheLaterTime() {
        SeenDeliveries seen = new SeenDeliveries(Duration.ofHours(1), 100, clock);
        seen.add("a", NOW.toEpochMilli());

        seen.add("a", NOW.minus(Duration.ofHours(2)).toEpochMilli());

        assertThat(seen.contains("a")).isTrue();
        assertThat(seen.size()).isEqualTo(1);
    }

    @Test
    void anIdSeenAgainLaterIsRemembered() {
        SeenDeliveries seen = new SeenDeliveries(Duration.ofHours(1), 100, clock);
        seen.add("a", NOW.minus(Duration.ofHours(2)).toEpochMilli());

        seen.add("a", NOW.toEpochMilli());

        assertThat(seen.contains("a")).isTrue();
    }

    @Test
    void beyondItsCapacityTheOldestIdsAreForgottenFirst() {
        SeenDeliveries seen = new SeenDeliveries(Duration.ofHours(1), 2, clock);

        seen.add("1", NOW.toEpochMilli());
        seen.add("2", NOW.toEpochMilli());
        seen.add("3", NOW.toEpochMilli());

        assertThat(seen.size()).isEqualTo(2);
        assertThat(seen.contains("1")).isFalse();
        assertThat(seen.contains("3")).isTrue();
    }
}

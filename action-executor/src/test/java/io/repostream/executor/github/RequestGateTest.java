package io.repostream.executor.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.executor.ExecutorConfig;
import io.repostream.executor.github.RequestGate.Kind;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.schemas.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestGateTest {
    private final ExecutorMetrics metrics = new ExecutorMetrics();

    private static ExecutorConfig config() {
        return ExecutorConfig.defaults("127.0.0.1:1", "http://127.0.0.1:1", "t")
                .withoutPacing()
                .withRetries(4, Duration.ofMillis(10), Duration.ofMinutes(1));
    }

    private static GitHubException failure(int status, RateLimit rateLimit) {
        return failure("acme/widgets#1", status, rateLimit);
    }

    private static GitHubException failure(String ref, int status, RateLimit rateLimit) {
        return new GitHubException(
                "add_labels for " + ref + ": GitHub answered " + status,
                status,
                new GitHubResponse(status, rateLimit),
                null);
    }

    /** A 403 whose message names a secondary limit, without retry-after, with quota left. */
    private static GitHubException secondaryWithoutRetryAfter() {
        return new GitHubException(
                "create_comment for acme/widgets#1: GitHub answered 403",
                403,
                new GitHubResponse(403, none()),
                null,
                GitHubException.isSecondaryLimitMessage(
                        "You have exceeded a secondary rate limit. Please wait a few minutes"
                                + " before you try again."));
    }

    private static RateLimit none() {
        return new RateLimit(5000, 4000, 1000, null, "core", null);
    }

    @Test
    void retriesServerErrorsWithBackoffAndGivesUpAfterTheLastAttempt() {
        RequestGate gate = new RequestGate(config(), metrics);
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(
                        () ->
                                gate.send(
                                        "token",
                                        Kind.WRITE,
                                        "acme/widgets#1",
                                        () -> {
                                            calls.incrementAndGet();
                                            throw failure(502, none());
                                        }))
                .isInstanceOf(GitHubException.class)
                .hasMessageContaining("acme/widgets#1");
        assertThat(calls).hasValue(4);
        assertThat(metrics.scrape())
                .contains("repostream_executor_github_retries_total{reason=\"server_error\"} 3.0");
    }

    @Test
    void succeedsWhenGitHubRecoversBeforeTheLastAttempt() {
        RequestGate gate = new RequestGate(config(), metrics);
        AtomicInteger calls = new AtomicInteger();
        String result =
                gate.send(
                        "token",
                        Kind.WRITE,
                        "acme/widgets#1",
                        () -> {
                            if (calls.incrementAndGet() < 3) {
                                throw failure(503, none());
                            }
                            return "ok";
                        });
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @ParameterizedTest(name = "{0} is final")
    @ValueSource(ints = {401, 404, 409, 410, 422})
    void neverRetriesAFinalAnswer(int status) {
        RequestGate gate = new RequestGate(config(), metrics);
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(
                        () ->
                                gate.send(
                                        "token",
                                        Kind.WRITE,
                                        "acme/widgets#1",
                                        () -> {
                                            calls.incrementAndGet();
                                            throw failure(status, none());
                                        }))
                .isInstanceOf(GitHubException.class)
                .satisfies(e -> assertThat(((GitHubException) e).status()).isEqualTo(status));
        assertThat(calls).hasValue(1);
    }

    @Test
    void backoffGrowsExponentiallyWithJitter() {
        RequestGate gate =
                new RequestGate(
                        config().withRetries(5, Duration.ofMillis(100), Duration.ofMinutes(1)),
                        metrics);
        GitHubException serverError = failure(500, none());
        for (int i = 0; i < 20; i++) {
            assertThat(gate.waitBefore(1, serverError, 0).toMillis()).isBetween(50L, 100L);
            assertThat(gate.waitBefore(3, serverError, 0).toMillis()).isBetween(200L, 400L);
        }
    }

    @Test
    void waitsAsLongAsRetryAfterSaysOnASecondaryLimit() {
        RequestGate gate = new RequestGate(config(), metrics);
        GitHubException secondary = failure(403, new RateLimit(5000, 4000, 1000, null, "core", 7));
        assertThat(secondary.isRateLimited()).isTrue();
        assertThat(secondary.isFinal()).isFalse();
        assertThat(gate.waitBefore(1, secondary, 0)).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void waitsAtLeastAMinuteAfterASecondaryLimitThatNamesNoWaitAndDoublesOnRepeat() {
        RequestGate gate = new RequestGate(config(), metrics);
        GitHubException secondary = secondaryWithoutRetryAfter();
        assertThat(secondary.isRateLimited()).isTrue();
        assertThat(secondary.isFinal()).isFalse();
        assertThat(gate.waitBefore(1, secondary, 1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(gate.waitBefore(2, secondary, 2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(gate.waitBefore(3, secondary, 3)).isEqualTo(Duration.ofMinutes(4));
    }

    @Test
    void recognisesASecondaryLimitByGitHubsWordsOldAndNew() {
        assertThat(
                        GitHubException.isSecondaryLimitMessage(
                                "You have exceeded a secondary rate limit and have been"
                                        + " temporarily blocked from content creation."))
                .isTrue();
        assertThat(
                        GitHubException.isSecondaryLimitMessage(
                                "You have triggered an abuse detection mechanism."))
                .isTrue();
        assertThat(GitHubException.isSecondaryLimitMessage("Abuse limit reached")).isTrue();
        assertThat(
                        GitHubException.isSecondaryLimitMessage(
                                "Resource not accessible by personal access token"))
                .isFalse();
        assertThat(GitHubException.isSecondaryLimitMessage(null)).isFalse();
    }

    @Test
    void neverRetriesAPlain403ThatRefusesPermission() {
        RequestGate gate = new RequestGate(config(), metrics);
        AtomicInteger calls = new AtomicInteger();
        GitHubException refused = failure(403, none());
        assertThat(refused.isRateLimited()).isFalse();
        assertThatThrownBy(
                        () ->
                                gate.send(
                                        "token",
                                        Kind.WRITE,
                                        "acme/widgets#1",
                                        () -> {
                                            calls.incrementAndGet();
                                            throw refused;
                                        }))
                .isSameAs(refused);
        assertThat(calls).hasValue(1);
    }

    @Test
    void waitsUntilTheResetWhenThePrimaryLimitIsExhausted() {
        RequestGate gate = new RequestGate(config(), metrics);
        long reset = Instant.now().plusSeconds(30).getEpochSecond();
        GitHubException exhausted = failure(403, new RateLimit(5000, 0, 5000, reset, "core", null));
        assertThat(gate.waitBefore(1, exhausted, 0).toSeconds()).isBetween(29L, 32L);
    }

    @Test
    void failsRatherThanWaitLongerThanTheConfiguredMaximum() {
        RequestGate gate = new RequestGate(config(), metrics);
        long reset = Instant.now().plusSeconds(3600).getEpochSecond();
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(
                        () ->
                                gate.send(
                                        "token",
                                        Kind.WRITE,
                                        "acme/widgets#2",
                                        () -> {
                                            calls.incrementAndGet();
                                            throw failure(
                                                    "acme/widgets#2",
                                                    429,
                                                    new RateLimit(
                                                            5000, 0, 5000, reset, "core", null));
                                        }))
                .hasMessageContaining("longer than the configured maximum wait")
                .hasMessageContaining("acme/widgets#2");
        assertThat(calls).hasValue(1);
    }

    @Test
    void spacesWritesOfOneInstallationButNotReads() {
        RequestGate gate =
                new RequestGate(config().withPacing(Duration.ofMillis(500), 80), metrics);
        long started = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            gate.send("token", Kind.READ, "acme/widgets#1", () -> "read");
        }
        long readsMillis = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            gate.send("token", Kind.WRITE, "acme/widgets#1", () -> "write");
        }
        long writesMillis = (System.nanoTime() - started) / 1_000_000;
        // reads are not paced: three of them take less than one spacing even on a slow machine
        assertThat(readsMillis).isLessThan(500);
        assertThat(writesMillis).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void holdsBackContentCreationsBeyondThePerMinuteCap() throws Exception {
        RequestGate gate = new RequestGate(config().withPacing(Duration.ZERO, 2), metrics);
        gate.send("token", Kind.CREATION, "acme/widgets#1", () -> 1);
        gate.send("token", Kind.CREATION, "acme/widgets#1", () -> 2);
        AtomicInteger third = new AtomicInteger();
        Thread creator =
                new Thread(
                        () -> {
                            try {
                                gate.send(
                                        "token",
                                        Kind.CREATION,
                                        "acme/widgets#1",
                                        () -> third.incrementAndGet());
                            } catch (GitHubException e) {
                                // interrupted while held back, as intended
                            }
                        });
        creator.start();
        CompletableFuture.runAsync(() -> {}).get();
        creator.join(500);
        assertThat(creator.isAlive()).isTrue();
        creator.interrupt();
        creator.join(2000);
        assertThat(third).hasValue(0);
    }

    /** The most slots in any window of {@code length} that starts at one of them. */
    private static int mostWithin(List<Long> slots, Duration length) {
        List<Long> sorted = slots.stream().sorted().toList();
        int most = 0;
        int end = 0;
        for (int start = 0; start < sorted.size(); start++) {
            while (end < sorted.size() && sorted.get(end) - sorted.get(start) < length.toNanos()) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
    }

    @Test
    void aBurstOfCreationsLargerThanTheCapsKeepsEverySlidingMinuteAndHourWithinThem() {
        RequestGate gate =
                new RequestGate(
                        config().withPacing(Duration.ZERO, 80).withContentCreationsPerHour(500),
                        metrics);
        long burst = System.nanoTime();
        List<Long> slots = new ArrayList<>();
        // 700 comments wanted at the same instant: more than a minute's and an hour's worth
        for (int i = 0; i < 700; i++) {
            slots.add(gate.reserve("token", Kind.CREATION, burst));
        }

        assertThat(mostWithin(slots, Duration.ofMinutes(1))).isEqualTo(80);
        assertThat(mostWithin(slots, Duration.ofHours(1))).isEqualTo(500);
        // the first 80 go at once, the next 80 a minute later; the 501st waits for the hour
        assertThat(slots.get(79)).isEqualTo(burst);
        assertThat(slots.get(80)).isEqualTo(burst + Duration.ofMinutes(1).toNanos());
        assertThat(slots.get(500)).isGreaterThanOrEqualTo(burst + Duration.ofHours(1).toNanos());
    }

    @Test
    void creationsHeldBackLaterInAMinuteStillKeepEveryWindowWithinTheCap() {
        RequestGate gate = new RequestGate(config().withPacing(Duration.ZERO, 3), metrics);
        long t0 = System.nanoTime();
        long second = Duration.ofSeconds(1).toNanos();
        List<Long> slots = new ArrayList<>();
        // creations trickle in over 40 s, then a burst: no 60 s window may hold more than 3
        slots.add(gate.reserve("token", Kind.CREATION, t0));
        slots.add(gate.reserve("token", Kind.CREATION, t0 + 20 * second));
        slots.add(gate.reserve("token", Kind.CREATION, t0 + 40 * second));
        for (int i = 0; i < 10; i++) {
            slots.add(gate.reserve("token", Kind.CREATION, t0 + 41 * second));
        }

        assertThat(mostWithin(slots, Duration.ofMinutes(1))).isEqualTo(3);
        assertThat(slots.get(3)).isEqualTo(t0 + 60 * second);
        assertThat(slots.get(4)).isEqualTo(t0 + 80 * second);
    }

    @Test
    void eachInstallationHasItsOwnCreationCap() {
        RequestGate gate = new RequestGate(config().withPacing(Duration.ZERO, 2), metrics);
        long now = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            gate.reserve("installation-1", Kind.CREATION, now);
        }
        // GitHub's secondary limits are per installation (or user): another one is not held back
        assertThat(gate.reserve("installation-2", Kind.CREATION, now)).isEqualTo(now);
        assertThat(gate.reserve("installation-2", Kind.CREATION, now)).isEqualTo(now);
        assertThat(gate.reserve("installation-2", Kind.CREATION, now))
                .isEqualTo(now + Duration.ofMinutes(1).toNanos());
    }

    @Test
    void sendsNothingWhileTheLastAnswerSaidTheQuotaIsUsedUp() {
        RequestGate gate = new RequestGate(config(), metrics);
        long reset = Instant.now().plusSeconds(3600).getEpochSecond();
        gate.observed("token", new RateLimit(5000, 0, 5000, reset, "core", null));
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(
                        () ->
                                gate.send(
                                        "token",
                                        Kind.READ,
                                        "acme/widgets#3",
                                        calls::incrementAndGet))
                .isInstanceOf(GitHubException.class)
                .hasMessageContaining("quota used up until")
                .hasMessageContaining("acme/widgets#3");
        assertThat(calls).hasValue(0);
        // another installation's budget is not affected
        assertThat(gate.send("installation-2", Kind.READ, "acme/other#1", calls::incrementAndGet))
                .isEqualTo(1);
    }

    @Test
    void waitsForAResetThatIsNearThenSends() {
        RequestGate gate = new RequestGate(config(), metrics);
        gate.observed(
                "token",
                new RateLimit(5000, 0, 5000, Instant.now().getEpochSecond(), "core", null));
        long started = System.nanoTime();
        assertThat(gate.send("token", Kind.READ, "acme/widgets#4", () -> "sent")).isEqualTo("sent");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_500);
    }

    @Test
    void saysUntilWhenAnInstallationsUsedUpQuotaHoldsItsActionsWhenThatIsWithinTheLongestWait() {
        RequestGate gate = new RequestGate(config(), metrics);
        Instant near = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
        long far = Instant.now().plusSeconds(3600).getEpochSecond();
        gate.observed(
                "installation-1",
                new RateLimit(5000, 0, 5000, near.getEpochSecond(), "core", null));
        gate.observed("installation-2", new RateLimit(5000, 0, 5000, far, "core", null));

        // a second past the reset, as the gate itself waits
        assertThat(gate.limitedUntil("installation-1")).contains(near.plusSeconds(1));
        // longer than the configured maximum (a minute): sent, and failed with that reason
        assertThat(gate.limitedUntil("installation-2")).isEmpty();
        assertThat(gate.limitedUntil("installation-3")).isEmpty();
    }
}

package io.repostream.githubapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InstallationTokensTest {
    private static final Instant START = Instant.parse("2026-12-07T06:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    private final Keys.MovableClock clock = new Keys.MovableClock(START);
    private final List<String> asked = new ArrayList<>();
    private final AtomicInteger issued = new AtomicInteger();
    private Duration lifetime = HOUR;

    /** GitHub's side: a new token for every request, valid for {@link #lifetime}. */
    private InstallationTokens tokens() {
        AppJwt jwt = new AppJwt(77, AppPrivateKey.fromPem(Keys.pkcs8Pem(Keys.APP)), clock);
        return new InstallationTokens(
                jwt,
                (installation, appJwt) -> {
                    asked.add(installation + " " + appJwt);
                    return new InstallationToken(
                            "ghs_" + installation + "_" + issued.incrementAndGet(),
                            clock.instant().plus(lifetime));
                },
                clock);
    }

    static Stream<Arguments> ages() {
        return Stream.of(
                Arguments.of(Duration.ZERO, false),
                Arguments.of(Duration.ofMinutes(30), false),
                Arguments.of(Duration.ofMinutes(55).minusSeconds(1), false),
                Arguments.of(Duration.ofMinutes(55), true),
                Arguments.of(Duration.ofMinutes(59), true),
                Arguments.of(Duration.ofMinutes(61), true));
    }

    @ParameterizedTest(name = "a token {0} old is refreshed: {1}")
    @MethodSource("ages")
    void aTokenIsReusedUntilFiveMinutesBeforeItExpiresThenRefreshed(Duration age, boolean refreshed)
            throws Exception {
        InstallationTokens tokens = tokens();
        InstallationToken first = tokens.token(3401);

        clock.advance(age);
        InstallationToken now = tokens.token(3401);

        assertThat(now.equals(first)).isEqualTo(!refreshed);
        assertThat(asked).hasSize(refreshed ? 2 : 1);
        assertThat(clock.instant()).isBefore(now.expiresAt().minus(Duration.ofMinutes(5)));
    }

    @Test
    void eachInstallationHasItsOwnToken() throws Exception {
        InstallationTokens tokens = tokens();
        assertThat(tokens.token(3401).value()).isEqualTo("ghs_3401_1");
        assertThat(tokens.token(3402).value()).isEqualTo("ghs_3402_2");
        assertThat(tokens.token(3401).value()).isEqualTo("ghs_3401_1");
        assertThat(asked).hasSize(2);
    }

    @Test
    void aTokenIssuedWithLessThanTheMarginLeftIsAskedForOnEachUse() throws Exception {
        lifetime = Duration.ofMinutes(4);
        InstallationTokens tokens = tokens();
        tokens.token(3401);
        tokens.token(3401);
        assertThat(asked).hasSize(2);
    }

    @Test
    void asksWithTheAppsJwtSignedByItsKey() throws Exception {
        tokens().token(3401);
        String jwt = asked.get(0).split(" ")[1];
        assertThat(
                        SignedJWT.parse(jwt)
                                .verify(new RSASSAVerifier((RSAPublicKey) Keys.APP.getPublic())))
                .isTrue();
        assertThat(SignedJWT.parse(jwt).getJWTClaimsSet().getIssuer()).isEqualTo("77");
    }

    @Test
    void aFailedRequestIsPassedOnAndTheNextUseAsksAgain() throws Exception {
        AppJwt jwt = new AppJwt(77, AppPrivateKey.fromPem(Keys.pkcs8Pem(Keys.APP)), clock);
        AtomicInteger calls = new AtomicInteger();
        InstallationTokens tokens =
                new InstallationTokens(
                        jwt,
                        (installation, appJwt) -> {
                            if (calls.incrementAndGet() == 1) {
                                throw new IOException("GitHub answered 502");
                            }
                            return new InstallationToken("ghs_ok", clock.instant().plus(HOUR));
                        },
                        clock);

        assertThatThrownBy(() -> tokens.token(3401))
                .isInstanceOf(IOException.class)
                .hasMessage("GitHub answered 502");
        assertThat(tokens.token(3401).value()).isEqualTo("ghs_ok");
    }

    @Test
    @Timeout(30)
    void threadsNeedingOneInstallationsTokenAskOnceWhileOtherInstallationsGoOn() throws Exception {
        CountDownLatch asking = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger requests = new AtomicInteger();
        AppJwt jwt = new AppJwt(77, AppPrivateKey.fromPem(Keys.pkcs8Pem(Keys.APP)), clock);
        InstallationTokens tokens =
                new InstallationTokens(
                        jwt,
                        (installation, appJwt) -> {
                            requests.incrementAndGet();
                            if (installation == 3401) {
                                asking.countDown();
                                try {
                                    answer.await();
                                } catch (InterruptedException e) {
                                    throw new java.io.InterruptedIOException();
                                }
                            }
                            return new InstallationToken(
                                    "ghs_" + installation, clock.instant().plus(HOUR));
                        },
                        clock);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<InstallationToken> first = threads.submit(() -> tokens.token(3401));
            asking.await();
            AtomicReference<Thread> second = new AtomicReference<>();
            Future<InstallationToken> waiting =
                    threads.submit(
                            () -> {
                                second.set(Thread.currentThread());
                                return tokens.token(3401);
                            });
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(
                            () ->
                                    second.get() != null
                                            && second.get().getState() == Thread.State.BLOCKED);

            // on a thread of its own: were it to wait for installation 3401, the test would fail
            // at the time limit instead of hanging on a monitor no interrupt frees
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                assertThat(other.submit(() -> tokens.token(3402)).get(20, TimeUnit.SECONDS).value())
                        .isEqualTo("ghs_3402");
            } finally {
                other.shutdownNow();
            }
            answer.countDown();
            assertThat(first.get().value()).isEqualTo("ghs_3401");
            assertThat(waiting.get()).isSameAs(first.get());
            assertThat(requests).hasValue(2);
        } finally {
            answer.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void showsNoToken() throws Exception {
        InstallationTokens tokens = tokens();
        InstallationToken token = tokens.token(3401);
        assertThat(token.toString()).doesNotContain(token.value()).contains("****");
        assertThat(tokens.toString()).doesNotContain(token.value()).contains("appId=77");
    }
}

package io.repostream.testkit.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PagerDutySimulatorTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final String OTHER_KEY = "fedcba9876543210fedcba9876543210";
    private static PagerDutySimulator pagerDuty;

    @BeforeAll
    static void start() {
        pagerDuty = PagerDutySimulator.start();
        pagerDuty.addIntegration(KEY);
        pagerDuty.addIntegration(OTHER_KEY);
    }

    @AfterAll
    static void stop() {
        pagerDuty.close();
    }

    private static Http.Response enqueue(String body) {
        return Http.json(pagerDuty.baseUrl() + "/v2/enqueue", null, body);
    }

    private static String trigger(String routingKey, String dedupKey, String severity) {
        return "{\"routing_key\":\""
                + routingKey
                + "\",\"event_action\":\"trigger\",\"dedup_key\":\""
                + dedupKey
                + "\",\"payload\":{\"summary\":\"octo/widgets#12 breached its SLA\","
                + "\"source\":\"repostream\",\"severity\":\""
                + severity
                + "\"}}";
    }

    private static String follow(String routingKey, String dedupKey, String action) {
        return "{\"routing_key\":\""
                + routingKey
                + "\",\"event_action\":\""
                + action
                + "\",\"dedup_key\":\""
                + dedupKey
                + "\"}";
    }

    @Test
    void acceptsATriggerWith202AndItsDedupKey() {
        Http.Response r = enqueue(trigger(KEY, "sla:octo/widgets#12", "critical"));

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().path("status").asText()).isEqualTo("success");
        assertThat(r.json().path("message").asText()).isEqualTo("Event processed");
        assertThat(r.json().path("dedup_key").asText()).isEqualTo("sla:octo/widgets#12");
        assertThat(pagerDuty.alerts(KEY, "sla:octo/widgets#12"))
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.status()).isEqualTo("triggered");
                            assertThat(a.severity()).isEqualTo("critical");
                        });
    }

    @Test
    void dedupsASecondTriggerWithTheSameKeyIntoTheOpenAlert() {
        enqueue(trigger(KEY, "dup-1", "error"));
        enqueue(trigger(KEY, "dup-1", "error"));

        assertThat(pagerDuty.alerts(KEY, "dup-1"))
                .singleElement()
                .satisfies(a -> assertThat(a.events()).isEqualTo(2));
    }

    @Test
    void acknowledgesAndResolvesByDedupKeyThenOpensANewAlertOnTheNextTrigger() {
        enqueue(trigger(KEY, "life-1", "warning"));
        assertThat(enqueue(follow(KEY, "life-1", "acknowledge")).status()).isEqualTo(202);
        assertThat(pagerDuty.alerts(KEY, "life-1").get(0).status()).isEqualTo("acknowledged");
        assertThat(enqueue(follow(KEY, "life-1", "resolve")).status()).isEqualTo(202);
        assertThat(pagerDuty.alerts(KEY, "life-1").get(0).status()).isEqualTo("resolved");

        enqueue(trigger(KEY, "life-1", "warning"));

        assertThat(pagerDuty.alerts(KEY, "life-1"))
                .extracting(PagerDutySimulator.Alert::status)
                .containsExactly("resolved", "triggered");
    }

    @Test
    void dropsAResolveSentWithAnotherRoutingKey() {
        enqueue(trigger(KEY, "routed-1", "error"));

        Http.Response r = enqueue(follow(OTHER_KEY, "routed-1", "resolve"));

        assertThat(r.status()).isEqualTo(202);
        assertThat(pagerDuty.alerts(KEY, "routed-1").get(0).status()).isEqualTo("triggered");
    }

    static Stream<Arguments> invalidEvents() {
        return Stream.of(
                Arguments.of(
                        "severity outside the four", trigger(KEY, "bad-1", "high"), "severity"),
                Arguments.of(
                        "unknown routing key", trigger("nobody", "bad-2", "info"), "routing_key"),
                Arguments.of(
                        "unknown action",
                        "{\"routing_key\":\""
                                + KEY
                                + "\",\"event_action\":\"page\",\"dedup_key\":\"x\"}",
                        "event_action"),
                Arguments.of(
                        "resolve without a dedup key",
                        "{\"routing_key\":\"" + KEY + "\",\"event_action\":\"resolve\"}",
                        "dedup_key"),
                Arguments.of(
                        "trigger without a summary",
                        "{\"routing_key\":\""
                                + KEY
                                + "\",\"event_action\":\"trigger\",\"payload\":{\"source\":\"s\",\"severity\":\"info\"}}",
                        "summary"),
                Arguments.of(
                        "dedup key over 255", trigger(KEY, "k".repeat(256), "info"), "dedup_key"),
                Arguments.of("no JSON", "{", "JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void refusesAnInvalidEventWith400AndSaysWhy(String why, String body, String named) {
        int alerts = pagerDuty.alerts().size();

        Http.Response r = enqueue(body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("status").asText()).isEqualTo("invalid event");
        assertThat(r.json().path("errors").toString()).contains(named);
        assertThat(pagerDuty.alerts()).hasSize(alerts);
    }

    @Test
    void throttlesWith429() {
        pagerDuty.throttleNext(1);

        assertThat(enqueue(trigger(KEY, "busy-1", "info")).status()).isEqualTo(429);
        assertThat(pagerDuty.alerts(KEY, "busy-1")).isEmpty();
        assertThat(enqueue(trigger(KEY, "busy-1", "info")).status()).isEqualTo(202);
    }
}

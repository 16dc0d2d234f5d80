package io.repostream.testkit.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SlackSimulatorTest {
    private static SlackSimulator slack;
    private static String alerts;

    @BeforeAll
    static void start() {
        slack = SlackSimulator.start();
        alerts = slack.createChannel("alerts");
        slack.createChannel("elsewhere", false);
    }

    @AfterAll
    static void stop() {
        slack.close();
    }

    private static Http.Response call(String method, String token, String body) {
        return Http.json(slack.baseUrl() + "/" + method, token, body);
    }

    @Test
    void postsToAChannelByNameAndAnswersItsIdAndTs() {
        Http.Response r =
                call(
                        "chat.postMessage",
                        SlackSimulator.DEFAULT_TOKEN,
                        "{\"channel\":\"#alerts\",\"text\":\"octo/widgets#12 breached its SLA\"}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("ok").asBoolean()).isTrue();
        assertThat(r.json().path("channel").asText()).isEqualTo(alerts);
        String ts = r.json().path("ts").asText();
        assertThat(ts).matches("\\d+\\.\\d{6}");
        assertThat(slack.messages("alerts"))
                .extracting(SlackSimulator.Message::ts, SlackSimulator.Message::text)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(
                                ts, "octo/widgets#12 breached its SLA"));
    }

    @Test
    void updatesTheMessageItPostedInPlace() {
        String ts =
                call(
                                "chat.postMessage",
                                SlackSimulator.DEFAULT_TOKEN,
                                "{\"channel\":\"" + alerts + "\",\"text\":\"first\"}")
                        .json()
                        .path("ts")
                        .asText();
        int before = slack.messages(alerts).size();

        Http.Response r =
                call(
                        "chat.update",
                        SlackSimulator.DEFAULT_TOKEN,
                        "{\"channel\":\""
                                + alerts
                                + "\",\"ts\":\""
                                + ts
                                + "\",\"text\":\"second\"}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("ok").asBoolean()).isTrue();
        assertThat(r.json().path("ts").asText()).isEqualTo(ts);
        assertThat(slack.messages(alerts)).hasSize(before);
        assertThat(slack.messages(alerts))
                .filteredOn(m -> m.ts().equals(ts))
                .singleElement()
                .satisfies(
                        m -> {
                            assertThat(m.text()).isEqualTo("second");
                            assertThat(m.edits()).isEqualTo(1);
                        });
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(
                        "no token",
                        "chat.postMessage",
                        null,
                        "{\"channel\":\"#alerts\",\"text\":\"x\"}",
                        "not_authed"),
                Arguments.of(
                        "unknown token",
                        "chat.postMessage",
                        "xoxb-nobody",
                        "{\"channel\":\"#alerts\",\"text\":\"x\"}",
                        "invalid_auth"),
                Arguments.of(
                        "unknown channel",
                        "chat.postMessage",
                        SlackSimulator.DEFAULT_TOKEN,
                        "{\"channel\":\"#nowhere\",\"text\":\"x\"}",
                        "channel_not_found"),
                Arguments.of(
                        "bot not in the channel",
                        "chat.postMessage",
                        SlackSimulator.DEFAULT_TOKEN,
                        "{\"channel\":\"#elsewhere\",\"text\":\"x\"}",
                        "not_in_channel"),
                Arguments.of(
                        "no text",
                        "chat.postMessage",
                        SlackSimulator.DEFAULT_TOKEN,
                        "{\"channel\":\"#alerts\"}",
                        "no_text"),
                Arguments.of(
                        "update by channel name",
                        "chat.update",
                        SlackSimulator.DEFAULT_TOKEN,
                        "{\"channel\":\"#alerts\",\"ts\":\"1.000001\",\"text\":\"x\"}",
                        "channel_not_found"),
                Arguments.of(
                        "update of no message",
                        "chat.update",
                        SlackSimulator.DEFAULT_TOKEN,
                        "{\"channel\":\"ALERTS_ID\",\"ts\":\"1.999999\",\"text\":\"x\"}",
                        "message_not_found"),
                Arguments.of(
                        "update of a person's message",
                        "chat.update",
                        SlackSimulator.DEFAULT_TOKEN,
                        "HUMAN",
                        "cant_update_message"),
                Arguments.of(
                        "a body that is no JSON",
                        "chat.postMessage",
                        SlackSimulator.DEFAULT_TOKEN,
                        "{",
                        "invalid_json"));
    }

    @ParameterizedTest(name = "{0}: {4}")
    @MethodSource("refusals")
    void refusesWithHttp200AndOkFalseAsSlackDoes(
            String why, String method, String token, String body, String error) {
        if (body.equals("HUMAN")) {
            String ts = slack.postAsHuman("alerts", "a person wrote this");
            body = "{\"channel\":\"" + alerts + "\",\"ts\":\"" + ts + "\",\"text\":\"x\"}";
        }
        body = body.replace("ALERTS_ID", alerts);
        int messages = slack.messages(alerts).size();

        Http.Response r = call(method, token, body);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("ok").asBoolean()).isFalse();
        assertThat(r.json().path("error").asText()).isEqualTo(error);
        assertThat(slack.messages(alerts)).hasSize(messages);
    }

    @Test
    void answersRateLimitedRequestsWith429AndRetryAfter() {
        slack.rateLimitNext(1, 30);
        int messages = slack.messages(alerts).size();

        Http.Response limited =
                call(
                        "chat.postMessage",
                        SlackSimulator.DEFAULT_TOKEN,
                        "{\"channel\":\"#alerts\",\"text\":\"x\"}");
        Http.Response next =
                call(
                        "chat.postMessage",
                        SlackSimulator.DEFAULT_TOKEN,
                        "{\"channel\":\"#alerts\",\"text\":\"x\"}");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isEqualTo("30");
        assertThat(next.json().path("ok").asBoolean()).isTrue();
        assertThat(slack.messages(alerts)).hasSize(messages + 1);
    }

    @Test
    void takesFormEncodedArgumentsToo() {
        Http.Response r =
                Http.post(
                        slack.baseUrl() + "/chat.postMessage",
                        SlackSimulator.DEFAULT_TOKEN,
                        "application/x-www-form-urlencoded",
                        "channel=%23alerts&text=from+a+form");

        assertThat(r.json().path("ok").asBoolean()).isTrue();
        assertThat(slack.messages(alerts))
                .extracting(SlackSimulator.Message::text)
                .contains("from a form");
    }
}

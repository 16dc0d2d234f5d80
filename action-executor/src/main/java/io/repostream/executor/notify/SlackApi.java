package io.repostream.executor.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The two Slack Web API methods a notification needs
 * (https://docs.slack.dev/reference/methods/chat.postMessage, .../chat.update): Slack answers a
 * refusal with HTTP 200 and {@code {"ok":false,"error":"..."}}, which is sorted here into refused
 * for good ({@code channel_not_found}, {@code invalid_auth}, ...) or to be tried again ({@code
 * ratelimited}, {@code internal_error}, ...).
 */
final class SlackApi {
    private final NotifyHttp http;
    private final String baseUrl;
    private final String token;

    SlackApi(NotifyHttp http, String baseUrl, String token) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.token = token;
    }

    boolean configured() {
        return token != null;
    }

    NotifyHttp.Answer postMessage(String channel, String text) {
        ObjectNode body =
                NotifyHttp.JSON.createObjectNode().put("channel", channel).put("text", text);
        return sorted(http.post(baseUrl + "/chat.postMessage", token, body));
    }

    /** {@code chat.update} takes the channel's id (what {@code chat.postMessage} answered). */
    NotifyHttp.Answer update(String channelId, String ts, String text) {
        ObjectNode body =
                NotifyHttp.JSON
                        .createObjectNode()
                        .put("channel", channelId)
                        .put("ts", ts)
                        .put("text", text);
        return sorted(http.post(baseUrl + "/chat.update", token, body));
    }

    private static NotifyHttp.Answer sorted(NotifyHttp.Answer answer) {
        if (answer.kind() != NotifyHttp.Kind.OK) {
            return answer;
        }
        if (answer.body() != null && answer.body().path("ok").asBoolean(false)) {
            return answer;
        }
        String error =
                answer.body() == null
                        ? "no JSON answer"
                        : answer.body().path("error").asText("unknown");
        // Slack's transient errors: worth another try, the rest will not change by retrying
        boolean transientError =
                error.equals("ratelimited")
                        || error.equals("internal_error")
                        || error.equals("fatal_error")
                        || error.equals("service_unavailable")
                        || error.equals("request_timeout");
        return new NotifyHttp.Answer(
                transientError ? NotifyHttp.Kind.RETRY : NotifyHttp.Kind.REFUSED,
                answer.status(),
                answer.body(),
                error,
                transientError ? java.time.Instant.now().plus(NotifyHttp.DEFAULT_RETRY) : null);
    }
}

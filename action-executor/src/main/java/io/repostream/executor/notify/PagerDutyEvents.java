package io.repostream.executor.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * PagerDuty's Events API v2, {@code POST /v2/enqueue} (github.com/PagerDuty/developer-docs,
 * docs/events-API-v2): 202 accepted, 400 an invalid event (not retried), 429 and 5xx retried.
 */
final class PagerDutyEvents {
    private final NotifyHttp http;
    private final String baseUrl;

    PagerDutyEvents(NotifyHttp http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    /**
     * @param routingKey the integration key itself (a secret): it goes only into the request body
     * @param summary for a trigger; null otherwise
     */
    NotifyHttp.Answer enqueue(
            String routingKey,
            String eventAction,
            String dedupKey,
            String summary,
            String source,
            String severity,
            String repo) {
        ObjectNode event =
                NotifyHttp.JSON
                        .createObjectNode()
                        .put("routing_key", routingKey)
                        .put("event_action", eventAction)
                        .put("dedup_key", dedupKey);
        if (eventAction.equals("trigger")) {
            ObjectNode payload = event.putObject("payload");
            payload.put("summary", summary).put("source", source).put("severity", severity);
            payload.putObject("custom_details").put("repo", repo);
        }
        NotifyHttp.Answer answer = http.post(baseUrl + "/v2/enqueue", null, event);
        if (answer.kind() == NotifyHttp.Kind.REFUSED && answer.body() != null) {
            // PagerDuty names what is invalid in "errors"; none of it repeats the routing key
            return new NotifyHttp.Answer(
                    answer.kind(),
                    answer.status(),
                    answer.body(),
                    answer.body().path("status").asText("refused")
                            + ": "
                            + answer.body().path("errors"),
                    null);
        }
        return answer;
    }
}

package io.repostream.testkit.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stateful PagerDuty Events API v2 on a loopback port: {@code POST /v2/enqueue}, alerts kept by
 * routing key and dedup key. Point a client at {@link #baseUrl()} instead of {@code
 * https://events.pagerduty.com}.
 *
 * <p>It checks and answers events as PagerDuty documents them (github.com/PagerDuty/developer-docs:
 * docs/events-API-v2/02-Trigger-Events.md for the fields and deduplication, 01-Overview.md for the
 * response codes; the 400 body's shape as PagerDuty's clients parse it, e.g. the pagersduty crate's
 * {@code ErrorResponse::InvalidEvent}):
 *
 * <ul>
 *   <li>{@code routing_key} (an integration's key), {@code event_action} {@code trigger}, {@code
 *       acknowledge} or {@code resolve}; {@code dedup_key} (at most 255 characters) required to
 *       acknowledge or resolve, generated on a trigger without one; a trigger needs {@code
 *       payload.summary} (at most 1024 characters), {@code payload.source} and {@code
 *       payload.severity}, one of {@code critical}, {@code error}, {@code warning}, {@code info};
 *   <li>accepted: 202 {@code {"status":"success","message":"Event processed","dedup_key":"..."}};
 *   <li>refused: 400 {@code {"status":"invalid event","message":"Event object is invalid",
 *       "errors":[...]}};
 *   <li>too many events: 429 (the sender retries with a back-off).
 * </ul>
 *
 * A trigger with the dedup key of an open alert under the same routing key adds to that alert
 * instead of opening another (PagerDuty's deduplication); once it is resolved, a trigger opens a
 * new one. Acknowledge and resolve of a key with no open alert under that routing key are accepted
 * and dropped, as PagerDuty drops them. Thread-safe.
 */
public final class PagerDutySimulator implements AutoCloseable {
    public static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An alert as PagerDuty shows it now; {@code events} counts the events it took. */
    public record Alert(
            String routingKey,
            String dedupKey,
            String status,
            String severity,
            String summary,
            int events) {}

    private final Set<String> routingKeys = ConcurrentHashMap.newKeySet();

    /** Alerts by routing key and dedup key, every one kept (a resolved alert stays listed). */
    private final List<Alert> alerts = new CopyOnWriteArrayList<>();

    private final List<Integer> statuses = new CopyOnWriteArrayList<>();
    private final AtomicInteger throttledLeft = new AtomicInteger();
    private final LoopbackServer server;

    private PagerDutySimulator() {
        this.server = LoopbackServer.start("PagerDuty simulator", this::routes);
    }

    public static PagerDutySimulator start() {
        return new PagerDutySimulator();
    }

    /** The Events API root, {@code http://127.0.0.1:<port>} (PagerDuty's: events.pagerduty.com). */
    public String baseUrl() {
        return server.baseUrl();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Adds an Events API v2 integration with this routing key (32 characters at PagerDuty). */
    public void addIntegration(String routingKey) {
        routingKeys.add(routingKey);
    }

    /** The next {@code events} events are answered 429. */
    public void throttleNext(int events) {
        throttledLeft.set(events);
    }

    /** Every alert so far, oldest first. */
    public List<Alert> alerts() {
        return List.copyOf(alerts);
    }

    /** The alerts of a dedup key under a routing key, oldest first. */
    public List<Alert> alerts(String routingKey, String dedupKey) {
        return alerts.stream()
                .filter(a -> a.routingKey().equals(routingKey) && a.dedupKey().equals(dedupKey))
                .toList();
    }

    /** The HTTP status of every answer so far, oldest first. */
    public List<Integer> statuses() {
        return List.copyOf(statuses);
    }

    private void routes(Router router) {
        router.route(HttpMethod.POST, "/v2/enqueue").handler(this::enqueue);
    }

    private void enqueue(RoutingContext ctx) {
        if (throttledLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            statuses.add(429);
            ctx.response().setStatusCode(429).end();
            return;
        }
        JsonNode event;
        try {
            event = JSON.readTree(ctx.body().asString());
        } catch (java.io.IOException | RuntimeException e) {
            event = null;
        }
        if (event == null || !event.isObject()) {
            invalid(ctx, List.of("Event object is not valid JSON"));
            return;
        }
        List<String> errors = new ArrayList<>();
        String routingKey = event.path("routing_key").asText("");
        String action = event.path("event_action").asText("");
        String dedupKey = event.hasNonNull("dedup_key") ? event.get("dedup_key").asText() : null;
        if (routingKey.isEmpty()) {
            errors.add("'routing_key' is missing or blank");
        } else if (!routingKeys.contains(routingKey)) {
            errors.add("'routing_key' is invalid");
        }
        if (!Set.of("trigger", "acknowledge", "resolve").contains(action)) {
            errors.add("'event_action' is invalid (expected trigger, acknowledge or resolve)");
        }
        if (dedupKey != null && dedupKey.length() > 255) {
            errors.add("'dedup_key' is longer than 255 characters");
        }
        if (!action.equals("trigger") && (dedupKey == null || dedupKey.isBlank())) {
            errors.add("'dedup_key' is missing or blank");
        }
        JsonNode payload = event.path("payload");
        String severity = payload.path("severity").asText("");
        String summary = payload.path("summary").asText("");
        if (action.equals("trigger")) {
            if (summary.isBlank()) {
                errors.add("'payload.summary' is missing or blank");
            } else if (summary.length() > 1024) {
                errors.add("'payload.summary' is longer than 1024 characters");
            }
            if (payload.path("source").asText("").isBlank()) {
                errors.add("'payload.source' is missing or blank");
            }
            if (!SEVERITIES.contains(severity)) {
                errors.add(
                        "'payload.severity' is invalid (expected critical, error, warning or info)");
            }
        }
        if (!errors.isEmpty()) {
            invalid(ctx, errors);
            return;
        }
        String key = dedupKey != null ? dedupKey : UUID.randomUUID().toString().replace("-", "");
        apply(routingKey, action, key, severity, summary);
        statuses.add(202);
        ObjectNode ok =
                JSON.createObjectNode()
                        .put("status", "success")
                        .put("message", "Event processed")
                        .put("dedup_key", key);
        ctx.response()
                .setStatusCode(202)
                .putHeader("Content-Type", "application/json")
                .end(ok.toString());
    }

    private synchronized void apply(
            String routingKey, String action, String dedupKey, String severity, String summary) {
        int open = -1;
        for (int i = alerts.size() - 1; i >= 0; i--) {
            Alert a = alerts.get(i);
            if (a.routingKey().equals(routingKey)
                    && a.dedupKey().equals(dedupKey)
                    && !a.status().equals("resolved")) {
                open = i;
                break;
            }
        }
        if (action.equals("trigger")) {
            if (open < 0) {
                alerts.add(new Alert(routingKey, dedupKey, "triggered", severity, summary, 1));
            } else {
                Alert a = alerts.get(open);
                alerts.set(
                        open,
                        new Alert(
                                routingKey,
                                dedupKey,
                                a.status(),
                                severity,
                                summary,
                                a.events() + 1));
            }
            return;
        }
        if (open < 0) {
            return; // nothing open under that key: accepted, no effect
        }
        Alert a = alerts.get(open);
        String status = action.equals("resolve") ? "resolved" : "acknowledged";
        alerts.set(
                open,
                new Alert(routingKey, dedupKey, status, a.severity(), a.summary(), a.events() + 1));
    }

    private void invalid(RoutingContext ctx, List<String> errors) {
        statuses.add(400);
        ObjectNode body =
                JSON.createObjectNode()
                        .put("status", "invalid event")
                        .put("message", "Event object is invalid");
        ArrayNode list = body.putArray("errors");
        errors.forEach(list::add);
        ctx.response()
                .setStatusCode(400)
                .putHeader("Content-Type", "application/json")
                .end(body.toString());
    }
}

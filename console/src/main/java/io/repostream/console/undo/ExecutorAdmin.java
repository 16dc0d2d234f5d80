package io.repostream.console.undo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The executor's admin API, the only way the console changes anything on GitHub: it previews and
 * performs rollbacks (the executor reads the target, compares it with the snapshot, refuses when
 * somebody changed it since, and audits what it did). The bearer token is sent, never logged.
 */
public final class ExecutorAdmin {
    private static final ObjectMapper JSON = Json.mapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param base the admin API, e.g. {@code http://executor:8081}
     * @param token its bearer token
     */
    public ExecutorAdmin(URI base, String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the executor's admin token is required");
        }
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.token = token;
    }

    public URI base() {
        return base;
    }

    /**
     * Rolls back one action for {@code requestedBy} (named in the executor's audit record), or with
     * {@code preview} only says what that would do.
     */
    public UndoResult rollback(String actionId, boolean preview, String requestedBy) {
        String path =
                "/rollback/actions/"
                        + URLEncoder.encode(actionId, StandardCharsets.UTF_8).replace("+", "%20")
                        + (preview ? "?dry_run=true" : "");
        ObjectNode request = JSON.createObjectNode();
        request.put("requested_by", requestedBy);
        JsonNode body = send(path, request.toString());
        return result(body);
    }

    /**
     * Rolls back every applied action of rule {@code producedBy} ({@code name@version}) on {@code
     * repo} (null: all) applied within {@code [from, to)}, newest first, for {@code requestedBy};
     * or previews that.
     */
    public List<UndoResult> rollbackAll(
            String producedBy,
            String repo,
            Instant from,
            Instant to,
            boolean preview,
            String requestedBy) {
        ObjectNode request = JSON.createObjectNode();
        request.put("requested_by", requestedBy);
        request.put("produced_by", producedBy);
        request.put("repo", repo);
        request.put("from", from == null ? null : from.toString());
        request.put("to", to == null ? null : to.toString());
        request.put("dry_run", preview);
        JsonNode body = send("/rollback/bulk", request.toString());
        List<UndoResult> results = new ArrayList<>();
        body.path("results").forEach(r -> results.add(result(r)));
        return results;
    }

    /**
     * The executors' kill switch as the admin API shows it: {@code on}, and the latest control
     * record (who set it, when, why) when there is one.
     */
    public KillSwitch killSwitch() {
        return killSwitch(send("GET", "/kill-switch", null));
    }

    /** Switches every executor's kill switch, naming who did it and why. */
    public KillSwitch setKillSwitch(boolean on, String reason, String by) {
        ObjectNode request = JSON.createObjectNode();
        request.put("on", on);
        request.put("reason", reason);
        request.put("by", by);
        return killSwitch(send("PUT", "/kill-switch", request.toString()));
    }

    /** The kill switch: on or off, and the record that set it (null fields when none). */
    public record KillSwitch(boolean on, String by, String reason, String at) {}

    private static KillSwitch killSwitch(JsonNode body) {
        JsonNode control = body.path("control");
        return new KillSwitch(
                body.path("on").asBoolean(false),
                text(control, "set_by"),
                text(control, "reason"),
                text(control, "at"));
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private JsonNode send(String path, String body) {
        return send("POST", path, body);
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(TIMEOUT)
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ExecutorUnavailable(
                    "the executor's admin API at " + base + " did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecutorUnavailable("interrupted waiting for the executor at " + base);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        // 404 carries a NOT_APPLIED result, which is an answer, not an error
        if (response.statusCode() == 200 || (response.statusCode() == 404 && isResult(json))) {
            return json;
        }
        String error = json == null ? "" : json.path("error").asText("");
        throw new ExecutorUnavailable(
                "the executor's admin API at "
                        + base
                        + " answered HTTP "
                        + response.statusCode()
                        + (response.statusCode() == 401 ? " (check the console's admin token)" : "")
                        + (error.isEmpty() ? "" : ": " + error));
    }

    private static boolean isResult(JsonNode json) {
        return json != null && json.hasNonNull("status");
    }

    private static UndoResult result(JsonNode r) {
        return new UndoResult(
                r.path("action_id").asText(r.path("actionId").asText(null)),
                r.hasNonNull("target") ? r.get("target").asText() : null,
                r.path("status").asText(),
                r.path("detail").asText(""));
    }

    /** The executor could not be asked, or refused the request. */
    public static final class ExecutorUnavailable extends RuntimeException {
        public ExecutorUnavailable(String message) {
            super(message);
        }
    }
}

package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A hook's deliveries: listed newest first with GitHub's cursor pagination ({@code per_page} up to
 * 100, {@code cursor} from the {@code Link: rel="next"} URL), the last three days only; and
 * redelivered on request: GitHub answers 202 at once, then posts the original payload again (same
 * guid, signed with the hook's secret) and lists the attempt as a redelivery.
 */
final class HookRoutes {
    private static final String CURSOR_PREFIX = "v1_";

    private final SimulatedGitHub state;
    private final GitHubJson json;
    private final HookSender sender;

    HookRoutes(SimulatedGitHub state, GitHubJson json, HookSender sender) {
        this.state = state;
        this.json = json;
        this.sender = sender;
    }

    static String repoScope(String owner, String repo) {
        return SimulatedRepo.key(owner, repo);
    }

    static String orgScope(String org) {
        return "org:" + org.toLowerCase(Locale.ROOT);
    }

    /** {@code GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries}. */
    ApiResponse listForRepo(ApiRequest request) {
        state.repo(request.owner(), request.repo());
        return list(request, repoScope(request.owner(), request.repo()));
    }

    /** {@code GET /orgs/{org}/hooks/{hook_id}/deliveries}. */
    ApiResponse listForOrg(ApiRequest request) {
        return list(request, orgScope(request.param("org")));
    }

    /** {@code POST /repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}/attempts}. */
    ApiResponse redeliverForRepo(ApiRequest request) {
        state.repo(request.owner(), request.repo());
        return redeliver(request, repoScope(request.owner(), request.repo()));
    }

    /** {@code POST /orgs/{org}/hooks/{hook_id}/deliveries/{delivery_id}/attempts}. */
    ApiResponse redeliverForOrg(ApiRequest request) {
        return redeliver(request, orgScope(request.param("org")));
    }

    /**
     * {@code GET /app/hook/deliveries}: the deliveries of the webhook of the app whose JWT
     * authenticated the request (an installation token is GitHub's 401, answered by the pipeline).
     */
    ApiResponse listForApp(ApiRequest request) {
        return list(request, appHook(request));
    }

    /**
     * {@code GET /app/hook/deliveries/{delivery_id}}: one attempt with the request GitHub sent (its
     * headers, and the payload as parsed JSON) and the answer it got.
     */
    ApiResponse getForApp(ApiRequest request) {
        SimulatedHook hook = appHook(request);
        long id = request.number("delivery_id");
        SimulatedHook.Delivery d =
                hook.deliveries.stream().filter(x -> x.id() == id).findFirst().orElse(null);
        if (d == null || d.deliveredAt().isBefore(state.now().minus(SimulatedHook.KEPT))) {
            throw ApiError.notFound();
        }
        ObjectNode body = delivery(d);
        body.put("url", hook.url == null ? "" : hook.url);
        ObjectNode sent = body.putObject("request");
        ObjectNode headers = sent.putObject("headers");
        HookSender.delivery(hook, d.guid(), d.event(), d.body()).headers().forEach(headers::put);
        sent.set("payload", payload(d.body()));
        ObjectNode answer = body.putObject("response");
        answer.putObject("headers");
        if (d.statusCode() == 0) {
            answer.putNull("payload");
        } else {
            answer.put("payload", "");
        }
        return ApiResponse.ok(body);
    }

    private SimulatedHook appHook(ApiRequest request) {
        String login = request.login();
        if (login == null || !login.startsWith("app:")) {
            // not reachable through the pipeline, which authenticates app routes by JWT
            throw ApiError.of(401, "A JSON web token could not be decoded");
        }
        SimulatedHook hook = state.appHook(Long.parseLong(login.substring(4)));
        if (hook == null) {
            throw ApiError.notFound();
        }
        return hook;
    }

    private static com.fasterxml.jackson.databind.JsonNode payload(byte[] body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        } catch (java.io.IOException e) {
            return JsonNodeFactory.instance.nullNode();
        }
    }

    private ApiResponse list(ApiRequest request, String scope) {
        return list(request, state.hook(scope, request.number("hook_id")));
    }

    private ApiResponse list(ApiRequest request, SimulatedHook hook) {
        int perPage = perPage(request);
        long from = cursor(request);
        Instant kept = state.now().minus(SimulatedHook.KEPT);
        List<SimulatedHook.Delivery> newestFirst = new ArrayList<>();
        for (int i = hook.deliveries.size() - 1; i >= 0; i--) {
            SimulatedHook.Delivery d = hook.deliveries.get(i);
            if (d.id() <= from && !d.deliveredAt().isBefore(kept)) {
                newestFirst.add(d);
            }
        }
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        newestFirst.stream().limit(perPage).forEach(d -> body.add(delivery(d)));
        ApiResponse response = ApiResponse.ok(body);
        if (newestFirst.size() > perPage) {
            response.header(
                    "Link",
                    "<"
                            + json.api()
                            + request.path()
                            + "?per_page="
                            + perPage
                            + "&cursor="
                            + CURSOR_PREFIX
                            + newestFirst.get(perPage).id()
                            + ">; rel=\"next\"");
        }
        return response;
    }

    private ApiResponse redeliver(ApiRequest request, String scope) {
        SimulatedHook hook = state.hook(scope, request.number("hook_id"));
        long id = request.number("delivery_id");
        SimulatedHook.Delivery original =
                hook.deliveries.stream().filter(d -> d.id() == id).findFirst().orElse(null);
        if (original == null) {
            throw ApiError.notFound();
        }
        if (original.deliveredAt().isBefore(state.now().minus(SimulatedHook.KEPT))) {
            throw ApiError.validation("HookDelivery", "delivery_id", "invalid");
        }
        long started = System.nanoTime();
        sender.send(hook, original.guid(), original.event(), original.body())
                .thenAccept(
                        status -> {
                            synchronized (state) {
                                record(
                                        state,
                                        hook,
                                        original.guid(),
                                        true,
                                        (System.nanoTime() - started) / 1e9,
                                        status,
                                        original.event(),
                                        original.action(),
                                        original.repositoryId(),
                                        original.body(),
                                        state.now());
                            }
                        });
        return ApiResponse.accepted(JsonNodeFactory.instance.objectNode());
    }

    /** Records one attempt; callers hold the state's lock. */
    static SimulatedHook.Delivery record(
            SimulatedGitHub state,
            SimulatedHook hook,
            String guid,
            boolean redelivery,
            double seconds,
            int status,
            String event,
            String action,
            Long repositoryId,
            byte[] body,
            Instant at) {
        SimulatedHook.Delivery delivery =
                new SimulatedHook.Delivery(
                        state.nextId(),
                        guid,
                        at,
                        redelivery,
                        seconds,
                        status,
                        event,
                        action,
                        repositoryId,
                        body);
        hook.deliveries.add(delivery);
        return delivery;
    }

    private static ObjectNode delivery(SimulatedHook.Delivery d) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", d.id());
        json.put("guid", d.guid());
        json.put("delivered_at", GitHubJson.ts(d.deliveredAt()));
        json.put("redelivery", d.redelivery());
        json.put("duration", Math.round(d.durationSeconds() * 100) / 100.0);
        json.put("status", d.status());
        json.put("status_code", d.statusCode());
        json.put("event", d.event());
        json.put("action", d.action());
        Long installation = installationIdOf(d.body());
        if (installation == null) {
            json.putNull("installation_id");
        } else {
            json.put("installation_id", installation);
        }
        if (d.repositoryId() == null) {
            json.putNull("repository_id");
        } else {
            json.put("repository_id", d.repositoryId());
        }
        json.putNull("throttled_at");
        return json;
    }

    /** The payload's {@code installation.id}: an app's deliveries carry the installation. */
    private static Long installationIdOf(byte[] body) {
        com.fasterxml.jackson.databind.JsonNode id = payload(body).path("installation").path("id");
        return id.isIntegralNumber() ? id.asLong() : null;
    }

    private static int perPage(ApiRequest request) {
        String value = request.query().get("per_page");
        try {
            int parsed = value == null ? 30 : Integer.parseInt(value.trim());
            return parsed < 1 ? 30 : Math.min(100, parsed);
        } catch (NumberFormatException e) {
            return 30;
        }
    }

    /** The newest delivery id a page starts at; GitHub answers 400 for a cursor it did not give. */
    private static long cursor(ApiRequest request) {
        String cursor = request.query().get("cursor");
        if (cursor == null || cursor.isEmpty()) {
            return Long.MAX_VALUE;
        }
        try {
            if (cursor.startsWith(CURSOR_PREFIX)) {
                return Long.parseLong(cursor.substring(CURSOR_PREFIX.length()));
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.of(400, "Invalid cursor");
    }
}

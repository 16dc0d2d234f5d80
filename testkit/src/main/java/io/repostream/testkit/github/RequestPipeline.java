package io.repostream.testkit.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What happens to every request before and after its route handler, in GitHub's order: injected
 * faults, authentication, permissions, rate limits, the handler (under the state's lock), then
 * conditional requests ({@code If-None-Match} → 304, free of charge), the headers GitHub always
 * sends, and faults on the way back (a lost answer, a slow one).
 */
final class RequestPipeline {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_LOGGED_REQUESTS = 10_000;
    private static final String PRIMARY_LIMIT_DOCS =
            "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";
    private static final String SECONDARY_LIMIT_DOCS =
            "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits";

    private final SimulatedGitHub state;
    private final RateLimiter limiter;
    private final FaultInjector faults;
    private final AtomicLong requests = new AtomicLong();
    private final Deque<String> requestLog = new ArrayDeque<>();
    private final Map<String, Long> requestCounts = new HashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    /** IMF-fixdate (RFC 9110), the form of {@code Date} and of a dated {@code Retry-After}. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
                    .withZone(ZoneOffset.UTC);

    private volatile boolean retryAfterAsDate;

    RequestPipeline(SimulatedGitHub state, RateLimiter limiter, FaultInjector faults) {
        this.state = state;
        this.limiter = limiter;
        this.faults = faults;
    }

    /**
     * Whether {@code Retry-After} is sent as an HTTP-date (with a {@code Date} header on GitHub's
     * clock) instead of seconds.
     */
    void setRetryAfterAsDate(boolean asDate) {
        retryAfterAsDate = asDate;
    }

    /** Says how long to wait: seconds, or a date counted from the answer's {@code Date}. */
    private ApiError withRetryAfter(ApiError error, long seconds) {
        if (!retryAfterAsDate) {
            return error.withHeader("Retry-After", String.valueOf(seconds));
        }
        Instant now;
        synchronized (state) {
            now = state.now();
        }
        return error.withHeader("Date", HTTP_DATE.format(now))
                .withHeader("Retry-After", HTTP_DATE.format(now.plusSeconds(seconds)));
    }

    long requestCount() {
        return requests.get();
    }

    List<String> requestLog() {
        synchronized (requestLog) {
            return List.copyOf(requestLog);
        }
    }

    Map<String, Long> requestCounts() {
        synchronized (requestLog) {
            return Map.copyOf(requestCounts);
        }
    }

    /** The most requests that were in the simulator at once (received, not yet answered). */
    int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    void resetMaxConcurrentRequests() {
        maxInFlight.set(inFlight.get());
    }

    void handle(RoutingContext ctx, RouteTable.Route route) {
        requests.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        HttpServerRequest http = ctx.request();
        ApiResponse response;
        RateLimiter.Quota quota = null;
        int fault = faults.take();
        if (fault != 0) {
            response = error(ApiError.of(fault, "Server Error"));
        } else {
            String token = null;
            try {
                token = token(http.getHeader("Authorization"));
                if (route.app()) {
                    // GitHub App endpoints: the app's JWT, its own quota, no token logins
                    SimulatedApp app;
                    synchronized (state) {
                        app = AppJwt.verify(token, state, state.now());
                    }
                    String appKey = "app:" + app.id();
                    throwIfLimited(http.path());
                    response = run(route, request(ctx, route, appKey, appKey));
                    quota = limiter.charge(appKey);
                } else {
                    String login;
                    boolean readOnly;
                    synchronized (state) {
                        login = token == null ? null : state.loginForToken(token);
                        readOnly = token != null && state.readOnly(token);
                    }
                    if (token != null && login == null) {
                        throw ApiError.badCredentials();
                    }
                    String quotaKey = token == null ? RateLimiter.ANONYMOUS : token;
                    if (token != null && !coveredByToken(ctx, token)) {
                        // an installation token sees only its installation's repositories
                        throw ApiError.notFound();
                    }
                    if (readOnly && route.createsContent()) {
                        // GitHub's answer to a token without write permission: a plain 403
                        throw ApiError.of(403, "Resource not accessible by personal access token");
                    }
                    throwIfLimited(http.path());
                    ApiRequest request = request(ctx, route, login, quotaKey);
                    response = serve(route, request, http.getHeader("If-None-Match"));
                    quota =
                            response.status == 304 || route.free()
                                    ? limiter.quota(quotaKey)
                                    : limiter.charge(quotaKey);
                }
            } catch (ApiError e) {
                response = error(e);
                quota = limiter.quota(token == null ? RateLimiter.ANONYMOUS : token);
            }
        }
        respond(ctx, route, response, quota);
    }

    /** A secondary limit {@code limitNext} set for this path: GitHub's 403/429 with Retry-After. */
    private void throwIfLimited(String path) {
        FaultInjector.Limit limit = faults.takeLimit(path);
        if (limit != null) {
            throw withRetryAfter(
                    ApiError.of(
                                    limit.status(),
                                    "You have exceeded a secondary rate limit. Please wait a few"
                                            + " minutes before you try again.")
                            .withDocs(SECONDARY_LIMIT_DOCS),
                    limit.retryAfterSeconds());
        }
    }

    /**
     * Sends the answer, after the configured delay; a write that was applied may instead lose its
     * answer to an injected fault, as it can on GitHub when a proxy fails on the way back.
     */
    private void respond(
            RoutingContext ctx,
            RouteTable.Route route,
            ApiResponse response,
            RateLimiter.Quota quota) {
        String line = ctx.request().method().name() + " " + ctx.request().uri();
        OptionalInt lost =
                !route.app() && route.createsContent() && response.status < 300
                        ? faults.takeAfterApplying()
                        : OptionalInt.empty();
        // logged before the answer leaves (or the connection drops), so that a client that has
        // its answer always finds its request in requests()
        Runnable answer;
        if (lost.isPresent() && lost.getAsInt() == FaultInjector.DROP_CONNECTION) {
            answer =
                    () -> {
                        log(line + " dropped");
                        ctx.request().connection().close();
                    };
        } else {
            ApiResponse sent =
                    lost.isPresent()
                            ? error(ApiError.of(lost.getAsInt(), "Server Error"))
                            : response;
            answer =
                    () -> {
                        log(line + " " + sent.status);
                        write(ctx.response(), sent, quota);
                    };
        }
        Runnable finish =
                () -> {
                    // counted out before the answer leaves, so a client that has its answer
                    // never sees its own request still held
                    inFlight.decrementAndGet();
                    answer.run();
                };
        long delayMillis = faults.responseDelay().toMillis();
        if (delayMillis <= 0) {
            finish.run();
        } else {
            ctx.vertx().setTimer(delayMillis, id -> finish.run());
        }
    }

    private boolean coveredByToken(RoutingContext ctx, String token) {
        String owner = ctx.pathParam("owner");
        String repo = ctx.pathParam("repo");
        if (owner == null || repo == null) {
            return true;
        }
        synchronized (state) {
            return state.tokenCovers(token, owner, repo);
        }
    }

    private ApiResponse serve(RouteTable.Route route, ApiRequest request, String ifNoneMatch) {
        String quotaKey = request.token();
        if (route.free()) {
            return run(route, request);
        }
        if (!route.createsContent()) {
            // Reads have no side effects, so the answer can be computed before deciding
            // whether it is a free 304 or a charged (or refused) request.
            ApiResponse response = run(route, request);
            // the tag costs a serialisation and a hash: only a conditional request needs it here
            if (ifNoneMatch != null
                    && response.status == 200
                    && ETags.matches(ifNoneMatch, etag(response))) {
                return ApiResponse.of(304, null).header("ETag", etag(response));
            }
            if (limiter.blocksPrimary(quotaKey)) {
                throw primaryLimitExceeded(request);
            }
            return response;
        }
        if (request.login() == null) {
            throw ApiError.requiresAuthentication();
        }
        if (limiter.blocksPrimary(quotaKey)) {
            throw primaryLimitExceeded(request);
        }
        OptionalLong retryAfter = limiter.noteContentCreation(quotaKey);
        if (retryAfter.isPresent()) {
            ApiError limited =
                    ApiError.of(
                                    limiter.secondaryStatus(),
                                    "You have exceeded a secondary rate limit. Please wait a few"
                                            + " minutes before you try again.")
                            .withDocs(SECONDARY_LIMIT_DOCS);
            // GitHub does not always say how long to wait; clients must then wait a minute
            if (limiter.secondaryRetryAfter()) {
                withRetryAfter(limited, retryAfter.getAsLong());
            }
            throw limited;
        }
        return run(route, request);
    }

    private ApiResponse run(RouteTable.Route route, ApiRequest request) {
        try {
            synchronized (state) {
                return route.handler().handle(request);
            }
        } catch (ApiError e) {
            return error(e);
        }
    }

    private ApiError primaryLimitExceeded(ApiRequest request) {
        String who =
                request.login() == null
                        ? "127.0.0.1. (But here's the good news: Authenticated requests get a"
                                + " higher rate limit.)"
                        : "user ID " + state.user(request.login()).id() + ".";
        return ApiError.of(limiter.primaryStatus(), "API rate limit exceeded for " + who)
                .withDocs(PRIMARY_LIMIT_DOCS);
    }

    private static ApiRequest request(
            RoutingContext ctx, RouteTable.Route route, String login, String quotaKey) {
        Map<String, String> query = new LinkedHashMap<>();
        MultiMap params = ctx.queryParams();
        params.names().forEach(name -> query.put(name, params.get(name)));
        return new ApiRequest(
                route.method(),
                ctx.request().path(),
                Map.copyOf(ctx.pathParams()),
                query,
                body(ctx),
                login,
                quotaKey);
    }

    private static JsonNode body(RoutingContext ctx) {
        Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
        if (buffer == null || buffer.length() == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(buffer.getBytes());
        } catch (IOException e) {
            throw ApiError.problemsParsingJson();
        }
    }

    /** {@code token X} (classic) and {@code Bearer X} (apps, fine-grained) are both accepted. */
    private static String token(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length == 2
                && (parts[0].equalsIgnoreCase("token") || parts[0].equalsIgnoreCase("bearer"))) {
            return parts[1];
        }
        throw ApiError.badCredentials();
    }

    private static ApiResponse error(ApiError e) {
        ApiResponse response = ApiResponse.of(e.status, e.body);
        e.headers.forEach(response::header);
        return response;
    }

    private static void write(
            HttpServerResponse http, ApiResponse response, RateLimiter.Quota quota) {
        http.setStatusCode(response.status);
        http.putHeader("Server", "github.com");
        http.putHeader("X-GitHub-Api-Version-Selected", "2022-11-28");
        http.putHeader("X-GitHub-Media-Type", "github.v3; format=json");
        http.putHeader(
                "X-GitHub-Request-Id",
                Long.toHexString(System.nanoTime()).toUpperCase(Locale.ROOT));
        if (quota != null) {
            http.putHeader("x-ratelimit-limit", String.valueOf(quota.limit()));
            http.putHeader("x-ratelimit-remaining", String.valueOf(quota.remaining()));
            http.putHeader("x-ratelimit-used", String.valueOf(quota.used()));
            http.putHeader("x-ratelimit-reset", String.valueOf(quota.resetEpochSeconds()));
            http.putHeader("x-ratelimit-resource", "core");
        }
        response.headers.forEach(http::putHeader);
        if (response.body == null) {
            http.end();
            return;
        }
        byte[] bytes = bytes(response.body);
        // GitHub tags successful answers only: hub4j retries a 404 that carries an ETag,
        // taking it for a stale cache entry.
        if (response.status < 300 && !response.headers.containsKey("ETag")) {
            http.putHeader("ETag", ETags.of(bytes));
        }
        http.putHeader("Content-Type", "application/json; charset=utf-8");
        http.end(Buffer.buffer(bytes));
    }

    private static String etag(ApiResponse response) {
        return response.body == null ? null : ETags.of(bytes(response.body));
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response", e);
        }
    }

    private void log(String line) {
        synchronized (requestLog) {
            requestCounts.merge(line, 1L, Long::sum);
            requestLog.addLast(line);
            if (requestLog.size() > MAX_LOGGED_REQUESTS) {
                requestLog.removeFirst();
            }
        }
    }
}

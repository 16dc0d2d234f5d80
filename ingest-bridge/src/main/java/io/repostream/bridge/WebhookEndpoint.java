package io.repostream.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.bridge.kafka.EventFingerprint;
import io.repostream.bridge.kafka.EventLog;
import io.repostream.bridge.kafka.SeenDeliveries;
import io.repostream.bridge.metrics.BridgeMetrics;
import io.repostream.bridge.webhook.EventNormalizer;
import io.repostream.bridge.webhook.EventTime;
import io.repostream.bridge.webhook.MalformedDeliveryException;
import io.repostream.bridge.webhook.PrunedPayload;
import io.repostream.bridge.webhook.SignatureVerifier;
import io.repostream.schemas.DeadLetter;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/github}: checks, normalises and durably writes one GitHub delivery. The
 * answer is 202 only once Kafka acknowledged the event; every refusal says what was wrong, and
 * nothing refused reaches {@code github.events.v1}.
 */
final class WebhookEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookEndpoint.class);

    /** Never copied into dead letters: they carry or protect secrets. */
    private static final Set<String> SECRET_HEADERS =
            Set.of(
                    "x-hub-signature",
                    "x-hub-signature-256",
                    "authorization",
                    "proxy-authorization",
                    "cookie");

    /** Every payload field the endpoint reads, so the rest is checked but not built. */
    static final PrunedPayload PAYLOAD_READER =
            new PrunedPayload(
                    java.util.stream.Stream.of(
                                    EventNormalizer.PAYLOAD_FIELDS,
                                    EventTime.allFields(),
                                    EventFingerprint.WEBHOOK_PAYLOAD_FIELDS,
                                    IngestFilter.PAYLOAD_FIELDS)
                            .flatMap(java.util.Collection::stream)
                            .toList());

    private final BridgeConfig config;
    private final SignatureVerifier verifier;
    private final EventLog log;
    private final WebhookWrites writes;
    private final BridgeMetrics metrics;
    private final AtomicInteger inFlight;
    private final BodyBudget budget;
    private final Clock clock;

    WebhookEndpoint(
            BridgeConfig config,
            EventLog log,
            SeenDeliveries seen,
            BridgeMetrics metrics,
            AtomicInteger inFlight,
            BodyBudget budget,
            Clock clock) {
        this.config = config;
        this.verifier = new SignatureVerifier(config.allowSha1Signatures());
        this.log = log;
        this.writes = new WebhookWrites(log, seen, !config.dedupeWindow().isZero(), metrics);
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.budget = budget;
        this.clock = clock;
    }

    /** One delivery: admission, body, then {@link #process}. */
    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String event = request.getHeader("X-GitHub-Event");
        String delivery = request.getHeader("X-GitHub-Delivery");
        Reply reply = new Reply(ctx, event, delivery);
        if (inFlight.incrementAndGet() > config.maxInFlight()) {
            inFlight.decrementAndGet();
            reply.refuseAndClose("overloaded", "too many deliveries in flight; retry later");
            return;
        }
        reply.holdInFlightSlot();
        // Also when the connection closes without an answer.
        ctx.addEndHandler(done -> reply.releaseInFlightSlot());
        long timer =
                ctx.vertx()
                        .setTimer(
                                config.requestTimeout().toMillis(),
                                id ->
                                        reply.refuseAndClose(
                                                "timeout",
                                                "the delivery could not be stored within "
                                                        + config.requestTimeout().toMillis()
                                                        + " ms; retry later"));
        ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));

        Optional<BodyFormat> format = BodyFormat.of(request.getHeader("Content-Type"));
        if (format.isEmpty()) {
            reply.error(
                    415,
                    "unsupported_media_type",
                    "Content-Type must be application/json (or"
                            + " application/x-www-form-urlencoded with a payload field), got '"
                            + abbreviate(request.getHeader("Content-Type"))
                            + "'");
            return;
        }
        String length = request.getHeader("Content-Length");
        long declared = length == null ? -1 : parseLong(length);
        if (declared > config.maxBodyBytes()) {
            reply.tooLarge(config.maxBodyBytes());
            return;
        }
        BodyBudget.Body body = budget.body(declared);
        ctx.addEndHandler(done -> body.release());
        if (!body.admit()) {
            bufferFull(reply);
            return;
        }
        request.handler(
                chunk -> {
                    if (reply.done()) {
                        return;
                    }
                    if ((long) body.length() + chunk.length() > config.maxBodyBytes()) {
                        reply.tooLarge(config.maxBodyBytes());
                        return;
                    }
                    if (!body.append(chunk)) {
                        bufferFull(reply);
                    }
                });
        request.endHandler(
                end -> {
                    if (!reply.done()) {
                        process(reply, request, format.get(), body.bytes());
                    }
                });
        request.exceptionHandler(
                error -> LOG.debug("delivery {} aborted", LogSafe.header(delivery)));
    }

    private void bufferFull(Reply reply) {
        LOG.warn(
                "refused delivery {} ({}): {} bytes of request bodies already buffered (limit {})",
                LogSafe.header(reply.delivery),
                LogSafe.header(reply.event),
                budget.reserved(),
                budget.limit());
        reply.refuseAndClose(
                "buffer_full",
                "the bridge holds as many request bodies as it may buffer"
                        + " (webhook.max_buffered_bytes); retry later");
    }

    private void process(Reply reply, HttpServerRequest request, BodyFormat format, byte[] body) {
        Instant receivedAt = clock.instant();
        byte[] json = format == BodyFormat.JSON ? body : formPayload(body);
        // Per-org and per-repo secrets depend on what the payload claims; it is parsed first,
        // and trusted only once the signature matches.
        JsonNode tree = null;
        String scope = "global";
        List<String> secrets = config.secrets().global();
        if (config.secrets().scoped() && json != null) {
            tree = PAYLOAD_READER.tryParse(json);
            String repo = claimedRepo(tree);
            String org = tree == null ? null : textAt(tree, "/organization/login");
            secrets = config.secrets().candidatesFor(repo, org);
            scope = config.secrets().scopeOf(repo, org);
        }
        String sha256 = request.getHeader("X-Hub-Signature-256");
        String sha1 = request.getHeader("X-Hub-Signature");
        SignatureVerifier.Failure failure = verifier.verify(body, sha256, sha1, secrets);
        if (failure != null) {
            // A secret of another scope: a misconfigured hook, or someone signing for a
            // repository with the secret of their own. Either way refused; the label tells which.
            boolean otherScope =
                    failure == SignatureVerifier.Failure.MISMATCH
                            && config.secrets().scoped()
                            && verifier.verify(body, sha256, sha1, config.secrets().all()) == null;
            metrics.signatureFailure(otherScope ? "other_scope" : failure.label());
            LOG.warn(
                    "refused delivery {} ({}): {}{}",
                    LogSafe.header(reply.delivery),
                    LogSafe.header(reply.event),
                    failure.message(),
                    otherScope
                            ? " (signed with a secret of another scope than " + scope + ")"
                            : "");
            reply.error(401, "unauthorized", failure.message());
            return;
        }
        GitHubEvent event;
        try {
            if (json == null) {
                throw new MalformedDeliveryException(
                        "form-encoded body has no 'payload' field with the event JSON");
            }
            tree = PAYLOAD_READER.parseVerified(json, tree);
            event = EventNormalizer.normalize(reply.delivery, reply.event, tree, receivedAt);
        } catch (MalformedDeliveryException e) {
            deadLetter(reply, request, body, e.getMessage(), e.label(), receivedAt);
            return;
        } catch (IllegalArgumentException e) {
            deadLetter(
                    reply,
                    request,
                    body,
                    e.getMessage(),
                    MalformedDeliveryException.MALFORMED,
                    receivedAt);
            return;
        }
        Optional<String> dropped = config.filter().dropReason(event);
        if (dropped.isPresent()) {
            metrics.filtered(event.type(), dropped.get());
            reply.ok(200, "filtered", "event not ingested: " + dropped.get(), event);
            return;
        }
        write(reply, event, json);
    }

    /** The {@code owner/repo} an unverified payload claims, when it is one. */
    private static String claimedRepo(JsonNode tree) {
        if (tree == null) {
            return null;
        }
        try {
            return EventNormalizer.repoOf(tree);
        } catch (MalformedDeliveryException e) {
            return null;
        }
    }

    private static String textAt(JsonNode tree, String pointer) {
        JsonNode value = tree.at(pointer);
        return value.isTextual() ? value.asText() : null;
    }

    private void write(Reply reply, GitHubEvent event, byte[] json) {
        Context context = reply.ctx.vertx().getOrCreateContext();
        writes.write(event, json, () -> armKafkaTimeout(reply))
                .whenComplete(
                        (result, error) ->
                                context.runOnContext(
                                        v -> {
                                            switch (result.outcome()) {
                                                case STORED ->
                                                        reply.ok(
                                                                202,
                                                                "accepted",
                                                                "event stored",
                                                                event);
                                                case DUPLICATE -> duplicate(reply, event);
                                                case EARLIER_COPY_FAILED ->
                                                        reply.unavailable(
                                                                "kafka_unavailable",
                                                                "an earlier copy of this delivery"
                                                                        + " could not be stored;"
                                                                        + " retry later");
                                                case FAILED ->
                                                        kafkaFailed(
                                                                reply,
                                                                result.error(),
                                                                event.qualifiedType()
                                                                        + " of "
                                                                        + event.key());
                                            }
                                        }));
    }

    private void duplicate(Reply reply, GitHubEvent event) {
        metrics.dedupeHit();
        reply.ok(200, "duplicate", "delivery already received", event);
    }

    private void deadLetter(
            Reply reply,
            HttpServerRequest request,
            byte[] body,
            String reason,
            String label,
            Instant receivedAt) {
        DeadLetter letter =
                new DeadLetter(
                        reason,
                        "webhook",
                        reply.delivery,
                        reply.event,
                        safeHeaders(request.headers()),
                        new String(body, StandardCharsets.UTF_8),
                        receivedAt);
        long started = System.nanoTime();
        Context context = reply.ctx.vertx().getOrCreateContext();
        CompletableFuture<?> acked = log.write(letter);
        armKafkaTimeout(reply);
        acked.whenComplete(
                (metadata, error) -> {
                    metrics.kafkaWrite(
                            Topics.EVENTS_DLQ.name(), error == null, System.nanoTime() - started);
                    context.runOnContext(
                            v -> {
                                if (error == null) {
                                    metrics.deadLetter(label);
                                    LOG.warn(
                                            "delivery {} ({}) dead-lettered: {}",
                                            LogSafe.header(reply.delivery),
                                            LogSafe.header(reply.event),
                                            reason);
                                    reply.error(400, "dead_lettered", reason);
                                    return;
                                }
                                kafkaFailed(reply, error, "dead letter");
                            });
                });
    }

    private void armKafkaTimeout(Reply reply) {
        long timer =
                reply.ctx
                        .vertx()
                        .setTimer(
                                config.kafkaTimeout().toMillis(),
                                id ->
                                        reply.unavailable(
                                                "kafka_timeout",
                                                "Kafka did not acknowledge within "
                                                        + config.kafkaTimeout().toMillis()
                                                        + " ms; retry later"));
        reply.ctx.addEndHandler(done -> reply.ctx.vertx().cancelTimer(timer));
    }

    private void kafkaFailed(Reply reply, Throwable error, String what) {
        Throwable cause =
                error instanceof java.util.concurrent.CompletionException
                                && error.getCause() != null
                        ? error.getCause()
                        : error;
        if (cause instanceof RecordTooLargeException) {
            reply.error(
                    413,
                    "too_large_for_kafka",
                    "the event is larger than the Kafka topic accepts (max.message.bytes)");
            return;
        }
        LOG.warn(
                "delivery {} ({}) not stored, Kafka failed: {}",
                LogSafe.header(reply.delivery),
                what,
                cause.toString());
        reply.unavailable("kafka_unavailable", "Kafka is unavailable; retry later");
    }

    private static Map<String, String> safeHeaders(MultiMap headers) {
        Map<String, String> safe = new TreeMap<>();
        for (String name : headers.names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!SECRET_HEADERS.contains(lower)) {
                safe.put(lower, String.join(",", headers.getAll(name)));
            }
        }
        return safe;
    }

    /**
     * The {@code payload} field of a form-encoded delivery, as bytes, or null when there is none.
     * Percent-decoded to bytes, not through {@code URLDecoder}, which would replace bytes that are
     * not UTF-8 with U+FFFD and so alter the payload silently; its text is checked like a JSON
     * body's.
     */
    private static byte[] formPayload(byte[] body) {
        String form = new String(body, StandardCharsets.US_ASCII);
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals("payload")) {
                return percentDecode(pair, eq + 1);
            }
        }
        return null;
    }

    private static byte[] percentDecode(String text, int from) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length());
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (low < 0) {
                    return null;
                }
                out.write(high * 16 + low);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    /** The two body encodings GitHub can be configured to send. */
    enum BodyFormat {
        JSON,
        FORM;

        static Optional<BodyFormat> of(String contentType) {
            if (contentType == null) {
                return Optional.empty();
            }
            String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            return switch (mime) {
                case "application/json" -> Optional.of(JSON);
                case "application/x-www-form-urlencoded" -> Optional.of(FORM);
                default -> Optional.empty();
            };
        }
    }

    /** Answers one request exactly once, counting the outcome. */
    private final class Reply {
        final RoutingContext ctx;
        final String event;
        final String delivery;
        private boolean answered;
        private boolean holdsInFlightSlot;

        Reply(RoutingContext ctx, String event, String delivery) {
            this.ctx = ctx;
            this.event = event;
            this.delivery = delivery;
        }

        void holdInFlightSlot() {
            holdsInFlightSlot = true;
        }

        void releaseInFlightSlot() {
            if (holdsInFlightSlot) {
                holdsInFlightSlot = false;
                inFlight.decrementAndGet();
            }
        }

        boolean done() {
            return answered || ctx.response().ended() || ctx.response().closed();
        }

        void ok(int status, String outcome, String message, GitHubEvent stored) {
            JsonObject body = body(outcome, message).put("event_id", stored.eventId());
            body.put("key", stored.key());
            send(status, outcome, body, null);
        }

        void error(int status, String outcome, String message) {
            send(status, outcome, body(outcome, message), null);
        }

        void unavailable(String outcome, String message) {
            send(503, outcome, body(outcome, message), config.retryAfter());
        }

        /**
         * 503 with {@code Retry-After}, then the connection is closed: the body was not (all) read,
         * and a client that keeps sending it must not keep the connection busy.
         */
        void refuseAndClose(String outcome, String message) {
            if (done()) {
                return;
            }
            ctx.response().putHeader("Connection", "close");
            send(503, outcome, body(outcome, message), config.retryAfter())
                    .onComplete(
                            sent -> {
                                metrics.connectionClosed("after_503");
                                ctx.request().connection().close();
                            });
        }

        void tooLarge(long limit) {
            ctx.response().putHeader("Connection", "close");
            error(
                    413,
                    "too_large",
                    "body is larger than " + limit + " bytes (GitHub's payload limit is 25 MB)");
        }

        private JsonObject body(String outcome, String message) {
            JsonObject body = new JsonObject().put("outcome", outcome).put("message", message);
            if (delivery != null) {
                body.put("delivery", abbreviate(delivery));
            }
            return body;
        }

        private io.vertx.core.Future<Void> send(
                int status, String outcome, JsonObject body, java.time.Duration retry) {
            if (done()) {
                return io.vertx.core.Future.succeededFuture();
            }
            answered = true;
            // Before the answer leaves: a sender that gets it may send its next delivery at once.
            releaseInFlightSlot();
            metrics.delivery(event == null ? null : event.toLowerCase(Locale.ROOT), outcome);
            var response = ctx.response().setStatusCode(status);
            response.putHeader("Content-Type", "application/json");
            if (retry != null) {
                response.putHeader("Retry-After", Long.toString(retry.toSeconds()));
            }
            return response.end(body.encode());
        }
    }
}

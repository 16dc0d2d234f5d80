package io.repostream.testkit.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stateful Slack Web API on a loopback port, with the two methods a bot needs to post and edit a
 * notification: {@code chat.postMessage} and {@code chat.update}. Point a client at {@link
 * #baseUrl()} instead of {@code https://slack.com/api}.
 *
 * <p>It answers as Slack does (https://docs.slack.dev/reference/methods/chat.postMessage,
 * https://docs.slack.dev/reference/methods/chat.update,
 * https://docs.slack.dev/apis/web-api/rate-limits):
 *
 * <ul>
 *   <li>the bot token goes in {@code Authorization: Bearer xoxb-...}; a body is JSON ({@code
 *       application/json}) or a form;
 *   <li>a refusal is HTTP 200 with {@code {"ok":false,"error":"..."}}: {@code not_authed} (no
 *       token), {@code invalid_auth} (an unknown token), {@code channel_not_found}, {@code
 *       not_in_channel} (the bot was not added to the channel), {@code no_text}, {@code
 *       message_not_found} (no message with that {@code ts}), {@code cant_update_message} (a
 *       message someone else posted);
 *   <li>a success answers {@code ok}, the channel's id in {@code channel} and the message's {@code
 *       ts}; {@code chat.postMessage} takes a channel's id or name, {@code chat.update} only its
 *       id, as Slack does;
 *   <li>over the rate limit, HTTP 429 with {@code Retry-After} in seconds.
 * </ul>
 *
 * Thread-safe; messages are kept per channel.
 */
public final class SlackSimulator implements AutoCloseable {
    /** A bot token registered by {@link #start()}; not in Slack's format, so scanners ignore it. */
    public static final String DEFAULT_TOKEN = "repostream-slack-simulator-token";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INVALID_JSON = " invalid json";

    /** A message as the channel shows it now. */
    public record Message(String channel, String ts, String text, int edits, String postedBy) {}

    /** A request the simulator answered: the method and Slack's answer (ok, or the error). */
    public record Call(String method, String channel, String outcome) {}

    private record Channel(String id, String name, boolean botIsMember) {}

    private final Map<String, Channel> channelsById = new ConcurrentHashMap<>();
    private final Map<String, List<Message>> messages = new ConcurrentHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final List<Call> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong tsSequence = new AtomicLong();
    private final AtomicInteger channelSequence = new AtomicInteger();
    private final AtomicInteger rateLimitedLeft = new AtomicInteger();
    private volatile int retryAfterSeconds = 1;
    private final LoopbackServer server;

    private SlackSimulator() {
        this.server = LoopbackServer.start("Slack simulator", this::routes);
        tokens.add(DEFAULT_TOKEN);
    }

    /** Starts a simulator with {@link #DEFAULT_TOKEN} registered and no channels. */
    public static SlackSimulator start() {
        return new SlackSimulator();
    }

    /** The Web API root, {@code http://127.0.0.1:<port>/api} (Slack's: https://slack.com/api). */
    public String baseUrl() {
        return server.baseUrl() + "/api";
    }

    @Override
    public void close() {
        server.close();
    }

    /** Creates a channel the bot was added to; returns its id ({@code C...}). */
    public String createChannel(String name) {
        return createChannel(name, true);
    }

    /** Creates a channel, with the bot in it or not; returns its id. */
    public String createChannel(String name, boolean botIsMember) {
        String id = String.format("C%08d", channelSequence.incrementAndGet());
        channelsById.put(id, new Channel(id, stripHash(name), botIsMember));
        messages.put(id, new java.util.concurrent.CopyOnWriteArrayList<>());
        return id;
    }

    public void addToken(String token) {
        tokens.add(token);
    }

    /** The next {@code requests} requests are answered 429 with {@code Retry-After}. */
    public void rateLimitNext(int requests, int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
        rateLimitedLeft.set(requests);
    }

    /** A message posted as a person (not the bot), which the bot may not edit. */
    public String postAsHuman(String channel, String text) {
        Channel c = channel(channel);
        String ts = nextTs();
        messages.get(c.id()).add(new Message(c.id(), ts, text, 0, "human"));
        return ts;
    }

    /**
     * A message as the bot would have posted it, without a request (what an earlier attempt that
     * crashed before it was audited left in the channel); returns its ts.
     */
    public String postAsBot(String channel, String text) {
        Channel c = channel(channel);
        String ts = nextTs();
        messages.get(c.id()).add(new Message(c.id(), ts, text, 0, "bot"));
        return ts;
    }

    /** The messages of a channel (by id or name), oldest first. */
    public List<Message> messages(String channel) {
        Channel c = channel(channel);
        if (c == null) {
            throw new IllegalArgumentException("no channel " + channel);
        }
        return List.copyOf(messages.get(c.id()));
    }

    /** Every request answered so far, oldest first. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    private void routes(Router router) {
        router.route(HttpMethod.POST, "/api/chat.postMessage")
                .handler(ctx -> answer(ctx, "chat.postMessage"));
        router.route(HttpMethod.POST, "/api/chat.update")
                .handler(ctx -> answer(ctx, "chat.update"));
        // Slack answers an unknown method with 200 and unknown_method
        router.route("/api/*").handler(ctx -> send(ctx, "?", null, error("unknown_method")));
    }

    private void answer(RoutingContext ctx, String method) {
        if (rateLimitedLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            calls.add(new Call(method, null, "429"));
            ctx.response()
                    .setStatusCode(429)
                    .putHeader("Retry-After", Integer.toString(retryAfterSeconds))
                    .putHeader("Content-Type", "application/json; charset=utf-8")
                    .end("{\"ok\":false,\"error\":\"ratelimited\"}");
            return;
        }
        Map<String, String> args = arguments(ctx);
        String auth = ctx.request().getHeader("Authorization");
        String token =
                auth != null && auth.startsWith("Bearer ")
                        ? auth.substring("Bearer ".length()).strip()
                        : args.get("token");
        String channelArg = args.get("channel");
        if (args.containsKey(INVALID_JSON)) {
            send(ctx, method, channelArg, error("invalid_json"));
            return;
        }
        if (token == null || token.isEmpty()) {
            send(ctx, method, channelArg, error("not_authed"));
            return;
        }
        if (!tokens.contains(token)) {
            send(ctx, method, channelArg, error("invalid_auth"));
            return;
        }
        ObjectNode answer = method.equals("chat.postMessage") ? post(args) : update(args);
        send(ctx, method, channelArg, answer);
    }

    private ObjectNode post(Map<String, String> args) {
        Channel c = channel(args.get("channel"));
        if (c == null) {
            return error("channel_not_found");
        }
        if (!c.botIsMember()) {
            return error("not_in_channel");
        }
        String text = args.get("text");
        if (text == null || text.isBlank()) {
            return error("no_text");
        }
        String ts = nextTs();
        messages.get(c.id()).add(new Message(c.id(), ts, text, 0, "bot"));
        ObjectNode ok =
                JSON.createObjectNode().put("ok", true).put("channel", c.id()).put("ts", ts);
        ok.putObject("message").put("type", "message").put("text", text).put("ts", ts);
        return ok;
    }

    private synchronized ObjectNode update(Map<String, String> args) {
        String channelArg = args.get("channel");
        // chat.update takes the channel's id only
        Channel c = channelArg == null ? null : channelsById.get(channelArg);
        if (c == null) {
            return error("channel_not_found");
        }
        String text = args.get("text");
        if (text == null || text.isBlank()) {
            return error("no_text");
        }
        List<Message> list = messages.get(c.id());
        String ts = args.get("ts");
        for (int i = 0; i < list.size(); i++) {
            Message m = list.get(i);
            if (m.ts().equals(ts)) {
                if (!m.postedBy().equals("bot")) {
                    return error("cant_update_message");
                }
                list.set(i, new Message(c.id(), ts, text, m.edits() + 1, m.postedBy()));
                ObjectNode ok =
                        JSON.createObjectNode()
                                .put("ok", true)
                                .put("channel", c.id())
                                .put("ts", ts)
                                .put("text", text);
                ok.putObject("message").put("text", text);
                return ok;
            }
        }
        return error("message_not_found");
    }

    private Channel channel(String idOrName) {
        if (idOrName == null) {
            return null;
        }
        Channel byId = channelsById.get(idOrName);
        if (byId != null) {
            return byId;
        }
        String name = stripHash(idOrName);
        return channelsById.values().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElse(null);
    }

    private static String stripHash(String name) {
        return name.startsWith("#") ? name.substring(1) : name;
    }

    /** Slack's {@code ts}: seconds since the epoch, a dot, and a sequence unique in the channel. */
    private String nextTs() {
        long seq = tsSequence.incrementAndGet();
        return (System.currentTimeMillis() / 1000) + "." + String.format("%06d", seq);
    }

    private static ObjectNode error(String code) {
        return JSON.createObjectNode().put("ok", false).put("error", code);
    }

    private void send(RoutingContext ctx, String method, String channel, ObjectNode answer) {
        calls.add(
                new Call(
                        method,
                        channel,
                        answer.path("ok").asBoolean() ? "ok" : answer.path("error").asText()));
        ctx.response()
                .setStatusCode(200)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(answer.toString());
    }

    private static Map<String, String> arguments(RoutingContext ctx) {
        Map<String, String> args = new LinkedHashMap<>();
        String type = ctx.request().getHeader("Content-Type");
        if (type != null && type.startsWith("application/json")) {
            try {
                JsonNode body = JSON.readTree(ctx.body().asString());
                body.fields()
                        .forEachRemaining(
                                e ->
                                        args.put(
                                                e.getKey(),
                                                e.getValue().isTextual()
                                                        ? e.getValue().asText()
                                                        : e.getValue().toString()));
            } catch (java.io.IOException | RuntimeException e) {
                // Slack answers a body it cannot read with invalid_json; leave args empty
                args.put(INVALID_JSON, "true");
            }
        } else {
            ctx.request().formAttributes().forEach(e -> args.put(e.getKey(), e.getValue()));
        }
        return args;
    }
}

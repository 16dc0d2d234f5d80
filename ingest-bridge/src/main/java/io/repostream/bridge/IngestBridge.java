package io.repostream.bridge;

import io.repostream.bridge.kafka.DeliveryTail;
import io.repostream.bridge.kafka.EventLog;
import io.repostream.bridge.kafka.KafkaHealth;
import io.repostream.bridge.kafka.SeenDeliveries;
import io.repostream.bridge.metrics.BridgeMetrics;
import io.repostream.bridge.poll.AppDeliveryPuller;
import io.repostream.bridge.poll.EventsFeed;
import io.repostream.bridge.poll.GapFiller;
import io.repostream.bridge.poll.GitHubAuth;
import io.repostream.bridge.poll.HookDeliveries;
import io.repostream.bridge.poll.PollCursors;
import io.repostream.bridge.poll.RepoPoller;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest bridge: receives GitHub webhooks and writes them to {@code github.events.v1}.
 *
 * <pre>{@code
 * try (IngestBridge bridge = IngestBridge.start(BridgeConfig.defaults()
 *         .withKafkaBootstrapServers(kafka.bootstrapServers())
 *         .withWebhookSecret(secret))) {
 *     // POST http://127.0.0.1:<bridge.port()>/webhooks/github
 * }
 * }</pre>
 */
public final class IngestBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestBridge.class);

    private final BridgeConfig config;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private Vertx vertx;
    private RepoPoller poller;
    private GapFiller gapFiller;
    private AppDeliveryPuller puller;
    private int port = -1;

    private IngestBridge(BridgeConfig config) {
        this.config = config;
    }

    /**
     * Starts the bridge and returns once it listens.
     *
     * @throws IllegalStateException saying why, when it cannot start (no secret, Kafka unreachable
     *     for the dedupe window, port taken, ...)
     */
    public static IngestBridge start(BridgeConfig config) {
        IngestBridge bridge = new IngestBridge(config);
        try {
            bridge.startUp();
            return bridge;
        } catch (RuntimeException e) {
            bridge.close();
            throw e;
        }
    }

    /** The port the bridge listens on (the actual one when the config said 0). */
    public int port() {
        return port;
    }

    /**
     * Polls every configured repository once, now, besides the schedule (e.g. after an outage).
     *
     * @return the number of new events written
     * @throws IllegalStateException when no repository is configured for polling
     */
    public int pollNow() {
        if (poller == null) {
            throw new IllegalStateException("polling is off: no poll.repos configured");
        }
        return poller.pollAll();
    }

    /**
     * Pulls the app's hook deliveries once, now, besides the schedule.
     *
     * @return the number of deliveries written
     * @throws IllegalStateException when pull mode is off
     */
    public int pullNow() {
        if (puller == null) {
            throw new IllegalStateException("pull mode is off: pull.enabled is false");
        }
        return puller.pullOnce().written();
    }

    /**
     * Asks GitHub to redeliver every recent delivery of the configured hooks that failed and is not
     * in Kafka (GitHub never redelivers by itself).
     *
     * @return how many redeliveries were asked for
     * @throws IllegalStateException when no hook is configured
     */
    public int gapFill() {
        if (gapFiller == null) {
            throw new IllegalStateException("gap fill is off: no poll.hooks configured");
        }
        return gapFiller.fill().redelivered();
    }

    /**
     * One gap fill with {@code config}, without starting a bridge: reads the dedupe window from
     * Kafka, then asks GitHub to redeliver what the configured hooks failed to deliver (to the
     * running bridges their hooks point at). For {@code ingest-bridge gap-fill}.
     *
     * @throws IllegalStateException when no hook is configured or Kafka cannot be read
     */
    public static GapFiller.Summary gapFillOnce(BridgeConfig config) {
        PollConfig poll = config.poll();
        if (!poll.fillsGaps()) {
            throw new IllegalStateException("gap fill is off: no poll.hooks configured");
        }
        Clock clock = Clock.systemUTC();
        SeenDeliveries seen =
                new SeenDeliveries(config.dedupeWindow(), config.dedupeCapacity(), clock);
        DeliveryTail tail = null;
        try {
            if (!config.dedupeWindow().isZero()) {
                tail =
                        new DeliveryTail(
                                config.kafkaBootstrapServers(),
                                config.kafkaProperties(),
                                seen,
                                config.dedupeWindow(),
                                clock);
                tail.startAndCatchUp(config.startupTimeout());
            }
            return new GapFiller(
                            poll.hooks(),
                            new HookDeliveries(
                                    poll.apiUrl(),
                                    poll.auth(config.kafkaTimeout()),
                                    config.kafkaTimeout()),
                            seen,
                            config.dedupeWindow(),
                            new BridgeMetrics(() -> 0, seen::size),
                            clock)
                    .fill();
        } finally {
            if (tail != null) {
                tail.close();
            }
        }
    }

    public BridgeConfig config() {
        return config;
    }

    private void startUp() {
        if (config.secrets().isEmpty() && !config.pull().enabled()) {
            throw new IllegalStateException(
                    "no webhook secret configured: every delivery would be refused; set"
                            + " REPOSTREAM_WEBHOOK_SECRET or webhook.secrets in the config file");
        }
        if (config.maxBufferedBytes() < config.maxBodyBytes()) {
            throw new IllegalStateException(
                    "webhook.max_buffered_bytes ("
                            + config.maxBufferedBytes()
                            + ") is below webhook.max_body_bytes ("
                            + config.maxBodyBytes()
                            + "): the largest deliveries could never be accepted");
        }
        Duration startupTimeout = config.startupTimeout();
        Clock clock = Clock.systemUTC();
        SeenDeliveries seen =
                new SeenDeliveries(config.dedupeWindow(), config.dedupeCapacity(), clock);
        EventLog log =
                remember(
                        new EventLog(
                                config.kafkaBootstrapServers(),
                                config.kafkaTimeout(),
                                config.kafkaProperties()));
        KafkaHealth health =
                remember(
                        new KafkaHealth(
                                config.kafkaBootstrapServers(),
                                config.kafkaProperties(),
                                Duration.ofSeconds(2)));
        if (!config.dedupeWindow().isZero()) {
            DeliveryTail tail =
                    remember(
                            new DeliveryTail(
                                    config.kafkaBootstrapServers(),
                                    config.kafkaProperties(),
                                    seen,
                                    config.dedupeWindow(),
                                    clock));
            tail.startAndCatchUp(startupTimeout);
        }
        AtomicInteger inFlight = new AtomicInteger();
        BodyBudget budget = new BodyBudget(config.maxBufferedBytes());
        BridgeMetrics metrics = new BridgeMetrics(inFlight::get, seen::size);
        metrics.bufferedBytes(budget::reserved);
        WebhookEndpoint webhooks =
                new WebhookEndpoint(config, log, seen, metrics, inFlight, budget, clock);

        GitHubAuth auth =
                config.poll().enabled() || config.poll().fillsGaps()
                        ? config.poll().auth(config.kafkaTimeout())
                        : null;
        // one instance: the poller and the puller keep their cursors in the same file
        PollCursors cursors = new PollCursors(config.poll().stateFile());
        if (config.poll().enabled()) {
            PollConfig poll = config.poll();
            poller =
                    remember(
                            new RepoPoller(
                                    poll.repos(),
                                    poll.interval(),
                                    config.kafkaTimeout(),
                                    new EventsFeed(poll.apiUrl(), auth, config.kafkaTimeout()),
                                    cursors,
                                    config.filter(),
                                    log,
                                    seen,
                                    !config.dedupeWindow().isZero(),
                                    metrics,
                                    clock,
                                    poll.app() != null ? poll.app().installationId() : null));
        }
        if (config.pull().enabled()) {
            PollConfig poll = config.poll();
            puller =
                    remember(
                            new AppDeliveryPuller(
                                    new EventsFeed(
                                            poll.apiUrl(),
                                            GitHubAuth.appJwt(poll.app()),
                                            config.kafkaTimeout()),
                                    cursors,
                                    config.filter(),
                                    log,
                                    seen,
                                    metrics,
                                    config.pull().interval(),
                                    config.pull().firstWindow(),
                                    config.kafkaTimeout(),
                                    clock));
        }
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()));
        port = listen(webhooks, health, metrics, startupTimeout);
        if (poller != null) {
            poller.start();
        }
        if (puller != null) {
            puller.start();
        }
        if (config.poll().fillsGaps()) {
            PollConfig poll = config.poll();
            gapFiller =
                    new GapFiller(
                            poll.hooks(),
                            new HookDeliveries(poll.apiUrl(), auth, config.kafkaTimeout()),
                            seen,
                            config.dedupeWindow(),
                            metrics,
                            clock);
            // Now that the bridge listens, GitHub's redeliveries can reach it.
            Thread fill = new Thread(gapFiller::fill, "repostream-bridge-gap-fill");
            fill.setDaemon(true);
            fill.start();
        }
        LOG.info(
                "ingest bridge listening on {}://{}:{} ({})",
                config.tls() ? "https" : "http",
                config.host(),
                port,
                config);
    }

    /**
     * One deployment of several instances: Vert.x binds the socket once and spreads connections
     * over the instances' event loops. Instances only share an explicit port, so port 0 becomes a
     * free port found first; should another process take it meanwhile, another one is tried.
     */
    private int listen(
            WebhookEndpoint webhooks, KafkaHealth health, BridgeMetrics metrics, Duration timeout) {
        for (int attempt = 1; ; attempt++) {
            int chosen = config.port() != 0 ? config.port() : freePort(config.host());
            try {
                deploy(
                        () -> new BridgeVerticle(config, chosen, webhooks, health, metrics),
                        config.eventLoops(),
                        timeout);
                return chosen;
            } catch (IllegalStateException e) {
                if (config.port() != 0 || attempt >= 3 || !isBindFailure(e)) {
                    throw e;
                }
                LOG.info("port {} was taken meanwhile, trying another", chosen);
            }
        }
    }

    private static int freePort(String host) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.bind(new java.net.InetSocketAddress(host, 0));
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot find a free port on " + host, e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    private void deploy(
            java.util.function.Supplier<BridgeVerticle> verticle, int instances, Duration timeout) {
        try {
            vertx.deployVerticle(verticle, new DeploymentOptions().setInstances(instances))
                    .await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(
                    "HTTP server on "
                            + config.host()
                            + ":"
                            + config.port()
                            + " did not start in "
                            + timeout.toSeconds()
                            + " s",
                    e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot listen on "
                            + config.host()
                            + ":"
                            + config.port()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private <T extends AutoCloseable> T remember(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Stops listening, then flushes and closes the Kafka clients. */
    @Override
    public void close() {
        if (vertx != null) {
            try {
                vertx.close().await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Vert.x did not stop cleanly: {}", e.toString());
            }
            vertx = null;
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn(
                        "could not close {}: {}",
                        resources.get(i).getClass().getSimpleName(),
                        e.toString());
            }
        }
        resources.clear();
    }
}

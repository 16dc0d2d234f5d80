package io.repostream.console;

import io.repostream.console.api.ApiTokens;
import io.repostream.console.index.TopicIndexer;
import io.repostream.console.query.ActionQueries;
import io.repostream.console.session.PostgresSessionStore;
import io.repostream.console.system.ConsumerLag;
import io.repostream.console.undo.ConsoleAudit;
import io.repostream.console.undo.ExecutorAdmin;
import io.repostream.console.web.ConsoleServer;
import io.repostream.console.web.GitHubSignIn;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running console: PostgreSQL (migrated), the indexer filling it from Kafka, and the web server
 * reading it. Wiring only; the work is in {@link TopicIndexer} and {@link ConsoleServer}.
 */
public final class Console implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);

    private final Database database;
    private final Vertx vertx;
    private final HttpServer server;
    private final TopicIndexer indexer;
    private final ConsoleMetrics metrics;
    private final ConsumerLag lag;

    private Console(
            Database database,
            Vertx vertx,
            HttpServer server,
            TopicIndexer indexer,
            ConsoleMetrics metrics,
            ConsumerLag lag) {
        this.database = database;
        this.vertx = vertx;
        this.server = server;
        this.indexer = indexer;
        this.metrics = metrics;
        this.lag = lag;
    }

    /** Starts everything; fails (and stops what it started) when a part cannot start. */
    public static Console start(ConsoleConfig config) {
        ConsoleMetrics metrics = new ConsoleMetrics();
        Database database =
                Database.open(
                        config.databaseUrl(), config.databaseUser(), config.databasePassword());
        Vertx vertx = Vertx.vertx();
        ConsumerLag lag = new ConsumerLag(config.kafkaClient());
        try {
            ActionQueries queries = new ActionQueries(database.dataSource(), config.githubWebUrl());
            if (config.localMode()) {
                LOG.warn(
                        "LOCAL/DEMO MODE: no sign-in. Anybody who reaches {}:{} sees every action"
                                + " and may undo it. Never expose this console; start it with"
                                + " --github-client-id (GitHub sign-in) for anything but a demo.",
                        config.host(),
                        config.port());
            }
            HttpServer server =
                    ConsoleServer.builder(vertx, queries, metrics)
                            .undoThrough(
                                    config.executorAdminUrl() == null
                                            ? null
                                            : new ExecutorAdmin(
                                                    URI.create(config.executorAdminUrl()),
                                                    config.executorAdminToken()))
                            .audit(new ConsoleAudit(database.dataSource(), Clock.systemUTC()))
                            .signIn(
                                    config.signIn() == null
                                            ? null
                                            : new GitHubSignIn(config.signIn()),
                                    config.sessionTimeout())
                            .sessions(
                                    new PostgresSessionStore(
                                            vertx,
                                            database.dataSource(),
                                            Clock.systemUTC(),
                                            metrics::sessions))
                            .tokens(new ApiTokens(database.dataSource(), Clock.systemUTC()))
                            .lag(lag)
                            .build()
                            .listen(config.host(), config.port())
                            .await(30, TimeUnit.SECONDS);
            TopicIndexer indexer =
                    TopicIndexer.start(
                            config.kafkaClient(),
                            database.dataSource(),
                            metrics,
                            ids ->
                                    vertx.eventBus()
                                            .publish(ConsoleServer.ACTIONS_CHANGED, ids.size()),
                            Clock.systemUTC());
            LOG.info(
                    "repostream console on http://{}:{}/ ({})",
                    config.host(),
                    server.actualPort(),
                    config);
            return new Console(database, vertx, server, indexer, metrics, lag);
        } catch (Exception e) {
            lag.close();
            vertx.close();
            database.close();
            throw new IllegalStateException(
                    "the console could not start on "
                            + config.host()
                            + ":"
                            + config.port()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    public TopicIndexer indexer() {
        return indexer;
    }

    public ConsoleMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        indexer.close();
        lag.close();
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Vert.x did not close within 10 s: {}", e.toString());
        }
        database.close();
    }
}

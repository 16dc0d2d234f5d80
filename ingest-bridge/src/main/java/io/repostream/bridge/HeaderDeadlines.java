package io.repostream.bridge;

import io.repostream.bridge.metrics.BridgeMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request headers are not complete within the header timeout, counted
 * from the connection's start and again from each answer (a kept-alive connection waiting for its
 * next request). Vert.x's idle timeout alone lets a client that sends one header byte at a time
 * hold a connection forever. One instance per event loop: every call comes from it, so the map
 * needs no lock.
 */
final class HeaderDeadlines {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadlines.class);

    private final Vertx vertx;
    private final long timeoutMillis;
    private final BridgeMetrics metrics;
    private final Map<HttpConnection, Long> timers = new HashMap<>();
    private final java.util.Set<HttpConnection> open = new java.util.HashSet<>();

    HeaderDeadlines(Vertx vertx, Duration timeout, BridgeMetrics metrics) {
        this.vertx = vertx;
        this.timeoutMillis = timeout.toMillis();
        this.metrics = metrics;
    }

    /** A new connection: its first request's headers are due. */
    void connected(HttpConnection connection) {
        open.add(connection);
        connection.closeHandler(
                closed -> {
                    open.remove(connection);
                    cancel(connection);
                });
        awaitHeaders(connection);
    }

    /** A request's headers are complete. */
    void headersReceived(HttpConnection connection) {
        cancel(connection);
    }

    /** An answer went out: the next request's headers are due (the connection is kept alive). */
    void awaitHeaders(HttpConnection connection) {
        cancel(connection);
        if (!open.contains(connection)) {
            return; // closed already (an answer's end also comes when its connection closes)
        }
        long timer =
                vertx.setTimer(
                        timeoutMillis,
                        id -> {
                            timers.remove(connection);
                            metrics.connectionClosed("header_timeout");
                            // counted; logged at debug only: a flood of such connections
                            // must not flood the log
                            LOG.debug(
                                    "closed connection from {}: request headers not complete"
                                            + " within {} ms",
                                    connection.remoteAddress(),
                                    timeoutMillis);
                            connection.close();
                        });
        timers.put(connection, timer);
    }

    private void cancel(HttpConnection connection) {
        Long timer = timers.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }
}

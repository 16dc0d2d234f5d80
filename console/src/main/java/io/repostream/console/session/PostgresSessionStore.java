package io.repostream.console.session;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.AbstractSession;
import io.vertx.ext.web.sstore.SessionStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.IntConsumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions in PostgreSQL (table {@code console_sessions}), so that every replica of the console
 * knows every session and a restart signs nobody out. Only the SHA-256 of a session id is stored.
 * The last write of a session wins (its data is small: login, role, CSRF token). A session is gone
 * after its timeout without a request, at sign-out, and when its id is renewed.
 */
public final class PostgresSessionStore implements SessionStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSessionStore.class);
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final Vertx vertx;
    private final DataSource db;
    private final Clock clock;
    private final IntConsumer liveSessions;
    private final VertxContextPRNG random;
    private final long sweeper;

    /**
     * @param liveSessions told how many sessions are live after each sweep (a gauge)
     */
    public PostgresSessionStore(Vertx vertx, DataSource db, Clock clock, IntConsumer liveSessions) {
        this.vertx = vertx;
        this.db = db;
        this.clock = clock;
        this.liveSessions = liveSessions;
        this.random = VertxContextPRNG.current(vertx);
        this.sweeper = vertx.setPeriodic(0, SWEEP_EVERY.toMillis(), t -> sweep());
    }

    @Override
    public SessionStore init(Vertx vertx, JsonObject options) {
        return this;
    }

    @Override
    public long retryTimeout() {
        return 0;
    }

    @Override
    public Session createSession(long timeout) {
        return createSession(timeout, DEFAULT_SESSIONID_LENGTH);
    }

    @Override
    public Session createSession(long timeout, int length) {
        return new StoredSession(random, timeout, length);
    }

    @Override
    public Future<Session> get(String id) {
        return vertx.executeBlocking(() -> read(id), false);
    }

    @Override
    public Future<Void> delete(String id) {
        return vertx.executeBlocking(
                () -> {
                    update("DELETE FROM console_sessions WHERE id_sha256 = ?", sha256(id));
                    return null;
                },
                false);
    }

    @Override
    public Future<Void> put(Session session) {
        return vertx.executeBlocking(
                () -> {
                    write(session);
                    return null;
                },
                false);
    }

    @Override
    public Future<Void> clear() {
        return vertx.executeBlocking(
                () -> {
                    update("DELETE FROM console_sessions");
                    return null;
                },
                false);
    }

    @Override
    public Future<Integer> size() {
        return vertx.executeBlocking(this::count, false);
    }

    @Override
    public void close() {
        vertx.cancelTimer(sweeper);
    }

    private Session read(String id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT data::text, timeout_ms, last_accessed FROM"
                                        + " console_sessions WHERE id_sha256 = ? AND expires_at"
                                        + " > ?")) {
            s.setString(1, sha256(id));
            s.setTimestamp(2, Timestamp.from(clock.instant()));
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return StoredSession.restored(
                        random,
                        id,
                        rs.getLong(2),
                        new JsonObject(rs.getString(1)),
                        rs.getTimestamp(3).getTime());
            }
        }
    }

    private void write(Session session) throws SQLException {
        long accessed = session.lastAccessed();
        String data = new JsonObject(session.data()).encode();
        // a request that changed nothing only renews the expiry: a concurrent request's older copy
        // of the session must not overwrite what another request has just stored
        if (session instanceof StoredSession stored && data.equals(stored.loaded)) {
            int renewed =
                    update(
                            "UPDATE console_sessions SET last_accessed = ?, expires_at = ? WHERE"
                                    + " id_sha256 = ?",
                            new Timestamp(accessed),
                            new Timestamp(accessed + session.timeout()),
                            sha256(session.id()));
            if (renewed == 1) {
                return;
            }
        }
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO console_sessions (id_sha256, data, timeout_ms,"
                                        + " last_accessed, expires_at) VALUES (?, ?::jsonb, ?, ?,"
                                        + " ?) ON CONFLICT (id_sha256) DO UPDATE SET data ="
                                        + " EXCLUDED.data, timeout_ms = EXCLUDED.timeout_ms,"
                                        + " last_accessed = EXCLUDED.last_accessed, expires_at ="
                                        + " EXCLUDED.expires_at")) {
            s.setString(1, sha256(session.id()));
            s.setString(2, data);
            s.setLong(3, session.timeout());
            s.setTimestamp(4, new Timestamp(accessed));
            s.setTimestamp(5, new Timestamp(accessed + session.timeout()));
            s.executeUpdate();
        }
    }

    /** Deletes expired sessions and reports how many are live. */
    private void sweep() {
        vertx.executeBlocking(
                        () -> {
                            int deleted =
                                    update(
                                            "DELETE FROM console_sessions WHERE expires_at <= ?",
                                            Timestamp.from(clock.instant()));
                            if (deleted > 0) {
                                LOG.info("deleted {} expired sessions", deleted);
                            }
                            return count();
                        },
                        false)
                .onSuccess(liveSessions::accept)
                .onFailure(e -> LOG.warn("could not delete expired sessions: {}", e.toString()));
    }

    private int count() throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT count(*) FROM console_sessions WHERE expires_at > ?")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private int update(String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    static String sha256(String id) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A session whose data is JSON (the console keeps strings in it). */
    static final class StoredSession extends AbstractSession {
        /** The data as read from the store (null for a new session). */
        private String loaded;

        StoredSession(VertxContextPRNG random, long timeout, int length) {
            super(random, timeout, length);
        }

        private StoredSession(VertxContextPRNG random) {
            super(random);
        }

        static StoredSession restored(
                VertxContextPRNG random,
                String id,
                long timeout,
                JsonObject data,
                long lastAccessed) {
            StoredSession session = new StoredSession(random);
            session.setId(id);
            session.setTimeout(timeout);
            session.setData(data);
            session.setLastAccessed(lastAccessed);
            session.loaded = data.encode();
            return session;
        }
    }
}

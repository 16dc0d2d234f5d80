package io.repostream.console.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.console.Database;
import io.repostream.console.support.TestPostgres;
import io.repostream.testkit.postgres.LocalPostgres;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Session;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session store on a real PostgreSQL, with a clock the test moves. */
class PostgresSessionStoreTest {
    private final MovableClock clock = new MovableClock();
    private final AtomicInteger live = new AtomicInteger(-1);
    private Vertx vertx;
    private Database database;
    private PostgresSessionStore store;

    @BeforeEach
    void start() {
        LocalPostgres pg = TestPostgres.shared();
        database = Database.open(pg.newDatabase("session_store"), pg.user(), "");
        vertx = Vertx.vertx();
        store = new PostgresSessionStore(vertx, database.dataSource(), clock, live::set);
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        vertx.close().await(10, TimeUnit.SECONDS);
        database.close();
    }

    @Test
    void aSessionIsReadBackWithItsDataUntilItsTimeoutPassesWithoutARequest() throws Exception {
        Session session = store.createSession(Duration.ofMinutes(30).toMillis());
        session.put("login", "olivia").put("role", "OPERATOR");
        await(store.put(session));

        Session read = await(store.get(session.id()));
        assertThat((String) read.get("login")).isEqualTo("olivia");
        assertThat((String) read.get("role")).isEqualTo("OPERATOR");
        assertThat(read.timeout()).isEqualTo(Duration.ofMinutes(30).toMillis());
        assertThat(await(store.size())).isEqualTo(1);

        clock.advance(Duration.ofMinutes(29));
        assertThat(await(store.get(session.id()))).isNotNull();
        clock.advance(Duration.ofMinutes(2));
        assertThat(await(store.get(session.id()))).isNull();
        assertThat(await(store.size())).isZero();
    }

    @Test
    void aDeletedSessionIsGoneAndAnUnknownIdReadsAsNone() throws Exception {
        Session session = store.createSession(60_000);
        session.put("login", "vera");
        await(store.put(session));

        await(store.delete(session.id()));

        assertThat(await(store.get(session.id()))).isNull();
        assertThat(await(store.get("never-issued"))).isNull();
    }

    @Test
    void onlyTheDigestOfTheSessionIdIsStored() throws Exception {
        Session session = store.createSession(60_000);
        session.put("login", "adam");
        await(store.put(session));

        try (var c = database.dataSource().getConnection();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT id_sha256 FROM console_sessions")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1))
                    .isEqualTo(PostgresSessionStore.sha256(session.id()))
                    .isNotEqualTo(session.id());
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.await(10, TimeUnit.SECONDS);
    }

    /** A clock that stands still until the test moves it. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package io.repostream.console.index;

import static io.repostream.console.support.Records.addLabels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.console.ConsoleMetrics;
import io.repostream.console.Database;
import io.repostream.console.support.IndexDb;
import io.repostream.console.support.TestPostgres;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.postgres.LocalPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two consoles indexing into one database, each reading every record: their batches take turns, and
 * the one behind neither takes the stored offsets back nor leaves rows other than the records make
 * them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplicasIndexingOneDatabaseTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TopicPartition ACTIONS = new TopicPartition(Topics.ACTIONS.name(), 0);

    private Database database;
    private IndexDb index;

    @BeforeEach
    void freshDatabase() {
        LocalPostgres pg = TestPostgres.shared();
        database = Database.open(pg.newDatabase("replicas"), pg.user(), "");
        index = new IndexDb(database.dataSource());
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    private static List<ConsumerRecord<byte[], byte[]>> actions(int from, int to) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int offset = from; offset < to; offset++) {
            ActionRecord a =
                    addLabels(
                            "triage:acme/replicas#" + offset,
                            "acme/replicas",
                            offset + 1L,
                            List.of("bug"));
            records.add(
                    new ConsumerRecord<>(
                            ACTIONS.topic(),
                            ACTIONS.partition(),
                            offset,
                            a.repo().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            Topics.ACTIONS.valueCodec().encode(a)));
        }
        return records;
    }

    @Test
    void aReplicaBehindDoesNotTakeTheStoredOffsetsBackAndLeavesTheSameRows() throws Exception {
        IndexWriter ahead = new IndexWriter(database.dataSource(), new ConsoleMetrics());
        IndexWriter behind = new IndexWriter(database.dataSource(), new ConsoleMetrics());
        ahead.write(actions(0, 10));
        List<String> rows = index.everything();

        behind.write(actions(0, 5));

        assertThat(ahead.offsets()).containsExactly(Map.entry(ACTIONS, 10L));
        assertThat(index.everything()).isEqualTo(rows);
    }

    @Test
    void aBatchWaitsWhileAnotherReplicasBatchIsBeingWritten() throws Exception {
        IndexWriter writer = new IndexWriter(database.dataSource(), new ConsoleMetrics());
        CompletableFuture<?> written;
        try (Connection other = database.dataSource().getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock =
                    other.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, IndexWriter.INDEX_LOCK);
                lock.execute();
            }
            written =
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    writer.write(actions(0, 3));
                                } catch (java.sql.SQLException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            await().atMost(WAIT).until(() -> advisoryLocksWaiting() == 1);
            assertThat(written).isNotDone();
            assertThat(writer.offsets()).isEmpty();
            other.commit();
        }
        written.get(30, TimeUnit.SECONDS);
        assertThat(writer.offsets()).containsExactly(Map.entry(ACTIONS, 3L));
    }

    private long advisoryLocksWaiting() throws Exception {
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                                        + " AND NOT granted AND database = (SELECT oid FROM pg_database"
                                        + " WHERE datname = current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package io.repostream.console.index;

import static io.repostream.console.support.Records.T0;
import static io.repostream.console.support.Records.addLabels;
import static io.repostream.console.support.Records.audit;
import static io.repostream.console.support.Records.issue;
import static io.repostream.console.support.Records.issueOpened;
import static io.repostream.console.support.Records.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.console.ConsoleMetrics;
import io.repostream.console.Database;
import io.repostream.console.support.IndexDb;
import io.repostream.console.support.TestPostgres;
import io.repostream.console.support.TopicWriter;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.repostream.testkit.postgres.LocalPostgres;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The indexer against a real broker and a real PostgreSQL: idempotent replays, restarts from the
 * stored offsets, the latest outcome per action, and records that break their schema.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IndexerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> TOPICS =
            TopicIndexer.TOPICS.stream().map(Topic::name).toList();

    private static EmbeddedKafkaBroker kafka;
    private static TopicWriter topics;

    private Database database;
    private IndexDb index;
    private ConsoleMetrics metrics;

    @BeforeAll
    static void startKafka(EmbeddedKafkaBroker broker) {
        kafka = broker;
        topics = new TopicWriter(kafka);
    }

    @AfterAll
    static void closeWriter() {
        topics.close();
    }

    @BeforeEach
    void freshDatabase() {
        LocalPostgres pg = TestPostgres.shared();
        database = Database.open(pg.newDatabase("indexer"), pg.user(), "");
        index = new IndexDb(database.dataSource());
        metrics = new ConsoleMetrics();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    private TopicIndexer startIndexer() {
        return TopicIndexer.start(
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                database.dataSource(),
                metrics,
                ids -> {},
                Clock.systemUTC());
    }

    private void awaitCaughtUp() {
        await().atMost(WAIT).until(() -> index.caughtUp(topics));
    }

    @Test
    void replayingTheTopicsTwiceLeavesTheSameRows() {
        ActionRecord applied = addLabels("triage:acme/replay#1", "acme/replay", 1, List.of("bug"));
        topics.send(issueOpened(applied.causedBy().get(0), "acme/replay", 1, "Crash", "octocat"));
        topics.send(applied);
        topics.send(snapshot(applied, issue("open", List.of())));
        topics.send(
                audit(
                        applied,
                        "applied",
                        AuditOutcome.APPLIED,
                        issue("open", List.of()),
                        issue("open", List.of("bug")),
                        200,
                        null,
                        T0.plusSeconds(2)));
        topics.send(
                audit(
                        applied,
                        "rollback",
                        AuditOutcome.ROLLED_BACK,
                        issue("open", List.of("bug")),
                        issue("open", List.of()),
                        204,
                        null,
                        T0.plusSeconds(60)));
        ActionRecord dropped = addLabels("triage:acme/replay#2", "acme/replay", 2, List.of("bug"));
        topics.send(
                audit(
                        dropped,
                        "dropped",
                        AuditOutcome.DROPPED,
                        null,
                        null,
                        null,
                        "repo_budget_exhausted: 0 actions left this hour",
                        T0.plusSeconds(3)));
        ActionRecord deferred =
                addLabels("triage:acme/replay#3", "acme/replay", 3, List.of("bug"))
                        .withNotBefore(T0.plusSeconds(3600));
        topics.send(deferred);

        List<String> firstPass;
        try (TopicIndexer indexer = startIndexer()) {
            awaitCaughtUp();
            assertThat(indexer.recordsRead()).isEqualTo(topics.recordCount(TOPICS));
            firstPass = index.everything();
        }
        assertThat(index.summaryColumn(applied.actionId(), "outcome")).isEqualTo("rolled_back");
        assertThat(index.rows("events", "event_id"))
                .anySatisfy(row -> assertThat(row).contains("subject=Crash", "sender=octocat"));
        assertThat(index.summaryColumn(dropped.actionId(), "outcome")).isEqualTo("dropped");
        assertThat(index.summaryColumn(dropped.actionId(), "error"))
                .isEqualTo("repo_budget_exhausted: 0 actions left this hour");
        assertThat(index.summaryColumn(deferred.actionId(), "outcome")).isEqualTo("pending");
        assertThat(index.summaryColumn(deferred.actionId(), "deferred_until")).isNotNull();

        index.execute("DELETE FROM indexer_offsets");
        try (TopicIndexer replay = startIndexer()) {
            awaitCaughtUp();
            assertThat(replay.recordsRead()).isEqualTo(topics.recordCount(TOPICS));
            assertThat(index.everything()).isEqualTo(firstPass);
        }
    }

    @Test
    void aRestartGoesOnFromTheStoredOffsets() {
        ActionRecord before = addLabels("triage:acme/restart#1", "acme/restart", 1, List.of("bug"));
        topics.send(before);
        try (TopicIndexer indexer = startIndexer()) {
            awaitCaughtUp();
            assertThat(indexer.assigned()).isTrue();
        }

        ActionRecord after = addLabels("triage:acme/restart#2", "acme/restart", 2, List.of("bug"));
        topics.send(after);
        topics.send(
                audit(
                        after,
                        "applied",
                        AuditOutcome.APPLIED,
                        issue("open", List.of()),
                        issue("open", List.of("bug")),
                        200,
                        null,
                        T0.plusSeconds(5)));
        try (TopicIndexer restarted = startIndexer()) {
            awaitCaughtUp();
            assertThat(restarted.recordsRead()).isEqualTo(2);
        }
        assertThat(index.summaryColumn(before.actionId(), "outcome")).isEqualTo("pending");
        assertThat(index.summaryColumn(after.actionId(), "outcome")).isEqualTo("applied");
    }

    @Test
    void exportsItsLagAndWhetherItRunsForTheStallAlert() {
        topics.send(addLabels("triage:acme/lag#1", "acme/lag", 1, List.of("bug")));
        try (TopicIndexer indexer = startIndexer()) {
            awaitCaughtUp();
            await().atMost(WAIT)
                    .until(
                            () ->
                                    metrics.scrape()
                                            .contains("repostream_console_indexer_running 1.0"));
            await().atMost(WAIT).until(() -> metrics.indexerLagValue() == 0);
            assertThat(metrics.scrape()).contains("repostream_console_indexer_lag_records 0.0");
        }
        assertThat(metrics.scrape()).contains("repostream_console_indexer_running 0.0");
    }

    @Test
    void aNulCharacterWhichPostgresRefusesDoesNotStopTheIndexer() {
        ActionRecord nul = addLabels("triage:acme/nul#1", "acme/nul", 1, List.of("bu\0g"));
        topics.send(issueOpened(nul.causedBy().get(0), "acme/nul", 1, "Crash\0 on start", "bob"));
        topics.send(nul);
        try (TopicIndexer indexer = startIndexer()) {
            awaitCaughtUp();
            assertThat(indexer.assigned()).isTrue();
        }
        assertThat(metrics.indexedCount(Topics.ACTIONS.name())).isPositive();
        assertThat(index.summaryColumn(nul.actionId(), "search_text"))
                .contains("crash\ufffd on start", "bu\ufffdg");
    }

    @Test
    void aRecordThatBreaksItsSchemaIsCountedAndTheNextOnesAreIndexed() {
        topics.sendBrokenAudit("acme/broken", "{\"audit_id\": 42}");
        ActionRecord next = addLabels("triage:acme/broken#1", "acme/broken", 1, List.of("bug"));
        topics.send(next);
        try (TopicIndexer indexer = startIndexer()) {
            awaitCaughtUp();
            assertThat(indexer.assigned()).isTrue();
        }
        assertThat(metrics.skippedCount(Topics.AUDIT.name(), "invalid")).isGreaterThanOrEqualTo(1);
        assertThat(index.summaryColumn(next.actionId(), "outcome")).isEqualTo("pending");
    }
}

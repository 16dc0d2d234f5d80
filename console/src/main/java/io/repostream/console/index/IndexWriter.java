package io.repostream.console.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.console.ConsoleMetrics;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.topics.Topics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch of records and the offsets after them in one transaction: a crash leaves either
 * both or neither, so a restart neither loses nor double-counts. Every write is an upsert keyed by
 * the record's own id, so reading the same records again leaves the same rows.
 *
 * <p>Several consoles (replicas) may index into one database, each reading every record: their
 * batches take turns ({@link #INDEX_LOCK}, a transaction-scoped advisory lock, so two batches never
 * interleave or deadlock), the stored offsets only move forward (a replica behind does not take
 * them back), and each row ends as the newest record of its key makes it, whichever replica writes
 * it last.
 */
final class IndexWriter {
    private static final Logger LOG = LoggerFactory.getLogger(IndexWriter.class);

    private static final String UPSERT_ACTION =
            """
            INSERT INTO actions (action_id, repo, target, action_type, produced_by, reason,
                confidence, created_at, not_before, expires_at, dry_run, written_at, record)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (action_id) DO UPDATE SET repo = EXCLUDED.repo, target = EXCLUDED.target,
                action_type = EXCLUDED.action_type, produced_by = EXCLUDED.produced_by,
                reason = EXCLUDED.reason, confidence = EXCLUDED.confidence,
                created_at = EXCLUDED.created_at, not_before = EXCLUDED.not_before,
                expires_at = EXCLUDED.expires_at, dry_run = EXCLUDED.dry_run,
                written_at = LEAST(actions.written_at, EXCLUDED.written_at),
                record = EXCLUDED.record
            """;

    private static final String UPSERT_POLICY =
            """
            INSERT INTO policies (repo, updated_at, written_at, record) VALUES (?, ?, ?, ?::jsonb)
            ON CONFLICT (repo) DO UPDATE SET updated_at = EXCLUDED.updated_at,
                written_at = EXCLUDED.written_at, record = EXCLUDED.record
            """;

    private static final String DELETE_POLICY = "DELETE FROM policies WHERE repo = ?";

    private static final String UPSERT_AUDIT =
            """
            INSERT INTO audits (audit_id, action_id, repo, target, action_type, outcome,
                produced_by, github_status, error, started_at, finished_at, written_at, record)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (audit_id) DO UPDATE SET action_id = EXCLUDED.action_id,
                repo = EXCLUDED.repo, target = EXCLUDED.target,
                action_type = EXCLUDED.action_type, outcome = EXCLUDED.outcome,
                produced_by = EXCLUDED.produced_by, github_status = EXCLUDED.github_status,
                error = EXCLUDED.error, started_at = EXCLUDED.started_at,
                finished_at = EXCLUDED.finished_at,
                written_at = LEAST(audits.written_at, EXCLUDED.written_at),
                record = EXCLUDED.record
            """;

    private static final String UPSERT_SNAPSHOT =
            """
            INSERT INTO snapshots (action_id, taken_at, written_at, record)
            VALUES (?, ?, ?, ?::jsonb)
            ON CONFLICT (action_id) DO UPDATE SET taken_at = EXCLUDED.taken_at,
                written_at = LEAST(snapshots.written_at, EXCLUDED.written_at),
                record = EXCLUDED.record
            """;

    private static final String UPSERT_EVENT =
            """
            INSERT INTO events (event_id, repo, type, action, source, occurred_at, received_at,
                sender, subject, subject_url, written_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (event_id) DO UPDATE SET repo = EXCLUDED.repo, type = EXCLUDED.type,
                action = EXCLUDED.action, source = EXCLUDED.source,
                occurred_at = EXCLUDED.occurred_at, received_at = EXCLUDED.received_at,
                sender = EXCLUDED.sender, subject = EXCLUDED.subject,
                subject_url = EXCLUDED.subject_url,
                written_at = LEAST(events.written_at, EXCLUDED.written_at)
            """;

    /** What {@link #add} returns for a record indexed that concerns no action (an event). */
    private static final String NO_ACTION = "";

    private static final String UPSERT_OFFSET =
            """
            INSERT INTO indexer_offsets (topic, partition, next_offset) VALUES (?, ?, ?)
            ON CONFLICT (topic, partition) DO UPDATE
                SET next_offset = GREATEST(indexer_offsets.next_offset, EXCLUDED.next_offset)
            """;

    /**
     * The key of the PostgreSQL advisory lock every batch takes for its transaction ("repostre" in
     * ASCII): the batches of several consoles on one database take turns.
     */
    static final long INDEX_LOCK = 0x7265706f73747265L;

    /**
     * Recomputes the listed actions' summary rows from the tables: the same rows whatever order the
     * records came in. The latest audit record decides the outcome; without one the action is
     * pending (deferred when it has a not_before).
     */
    private static final String REFRESH_SUMMARY =
            """
            INSERT INTO action_summary (action_id, repo, target, action_type, produced_by, rule,
                outcome, deferred_until, reason, error, dry_run, updated_at, search_text)
            SELECT k.action_id,
                   COALESCE(a.repo, l.repo),
                   COALESCE(a.target, l.target),
                   COALESCE(a.action_type, l.action_type),
                   COALESCE(a.produced_by, l.produced_by),
                   split_part(COALESCE(a.produced_by, l.produced_by), '@', 1),
                   COALESCE(l.outcome, 'pending'),
                   CASE WHEN l.outcome IS NULL THEN a.not_before END,
                   COALESCE(a.reason, l.record -> 'metadata' ->> 'reason'),
                   l.error,
                   COALESCE(a.dry_run, false) OR COALESCE(l.outcome = 'dry_run', false),
                   COALESCE(l.finished_at, a.written_at),
                   lower(concat_ws(' ',
                       COALESCE(a.repo, l.repo) || '#' || COALESCE(a.target, l.target),
                       k.action_id,
                       COALESCE(a.reason, l.record -> 'metadata' ->> 'reason'),
                       l.error,
                       a.record ->> 'params',
                       (SELECT string_agg(e.subject, ' ' ORDER BY e.event_id) FROM events e
                        WHERE e.event_id IN (SELECT jsonb_array_elements_text(
                            COALESCE(a.record -> 'caused_by', l.record -> 'caused_by'))))))
            FROM unnest(?::text[]) AS k(action_id)
            LEFT JOIN actions a ON a.action_id = k.action_id
            LEFT JOIN LATERAL (
                SELECT * FROM audits u WHERE u.action_id = k.action_id
                ORDER BY u.finished_at DESC, u.audit_id DESC LIMIT 1) l ON true
            WHERE a.action_id IS NOT NULL OR l.action_id IS NOT NULL
            ON CONFLICT (action_id) DO UPDATE SET repo = EXCLUDED.repo, target = EXCLUDED.target,
                action_type = EXCLUDED.action_type, produced_by = EXCLUDED.produced_by,
                rule = EXCLUDED.rule, outcome = EXCLUDED.outcome,
                deferred_until = EXCLUDED.deferred_until, reason = EXCLUDED.reason,
                error = EXCLUDED.error, dry_run = EXCLUDED.dry_run,
                updated_at = EXCLUDED.updated_at, search_text = EXCLUDED.search_text
            """;

    /** The actions (proposed, or only audited) that name one of the given events as a cause. */
    private static final String CAUSED_BY_EVENTS =
            """
            SELECT a.action_id FROM unnest(?::text[]) AS ev(id)
            JOIN actions a ON a.record -> 'caused_by' @> jsonb_build_array(ev.id)
            UNION
            SELECT u.action_id FROM unnest(?::text[]) AS ev(id)
            JOIN audits u ON u.record -> 'caused_by' @> jsonb_build_array(ev.id)
            """;

    private final DataSource db;
    private final ConsoleMetrics metrics;

    IndexWriter(DataSource db, ConsoleMetrics metrics) {
        this.db = db;
        this.metrics = metrics;
    }

    /** The stored offsets: where to go on from, per partition. */
    Map<TopicPartition, Long> offsets() throws SQLException {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT topic, partition, next_offset FROM indexer_offsets")) {
            while (rs.next()) {
                offsets.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
            }
        }
        return offsets;
    }

    /**
     * Indexes {@code records} and stores the offsets after them; returns the ids of the actions
     * whose rows changed.
     */
    Set<String> write(List<ConsumerRecord<byte[], byte[]>> records) throws SQLException {
        Set<String> touched = new LinkedHashSet<>();
        List<String> eventIds = new java.util.ArrayList<>();
        List<PolicyWrite> policies = new java.util.ArrayList<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)");
                    PreparedStatement actions = c.prepareStatement(UPSERT_ACTION);
                    PreparedStatement audits = c.prepareStatement(UPSERT_AUDIT);
                    PreparedStatement snapshots = c.prepareStatement(UPSERT_SNAPSHOT);
                    PreparedStatement events = c.prepareStatement(UPSERT_EVENT);
                    PreparedStatement offsets = c.prepareStatement(UPSERT_OFFSET);
                    PreparedStatement refresh = c.prepareStatement(REFRESH_SUMMARY)) {
                lock.setLong(1, INDEX_LOCK);
                lock.execute();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                    String actionId =
                            r.topic().equals(Topics.CONFIG.name())
                                    ? policy(r, policies)
                                    : add(r, actions, audits, snapshots, events, eventIds);
                    if (actionId != null) {
                        counts.merge(r.topic(), 1, Integer::sum);
                    }
                    if (actionId != null && !actionId.equals(NO_ACTION)) {
                        touched.add(actionId);
                    }
                }
                actions.executeBatch();
                audits.executeBatch();
                snapshots.executeBatch();
                events.executeBatch();
                writePolicies(c, policies);
                touched.addAll(causedBy(c, eventIds));
                for (Map.Entry<TopicPartition, Long> e : next.entrySet()) {
                    offsets.setString(1, e.getKey().topic());
                    offsets.setInt(2, e.getKey().partition());
                    offsets.setLong(3, e.getValue());
                    offsets.addBatch();
                }
                offsets.executeBatch();
                if (!touched.isEmpty()) {
                    refresh.setArray(1, c.createArrayOf("text", touched.toArray()));
                    refresh.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        counts.forEach(metrics::indexed);
        return touched;
    }

    /**
     * Adds one record to its statement's batch; returns its action id, {@link #NO_ACTION} for an
     * event, or null if skipped.
     */
    private String add(
            ConsumerRecord<byte[], byte[]> r,
            PreparedStatement actions,
            PreparedStatement audits,
            PreparedStatement snapshots,
            PreparedStatement events,
            List<String> eventIds)
            throws SQLException {
        if (r.value() == null) {
            skip(r, "tombstone", "no value");
            return null;
        }
        Instant writtenAt = Instant.ofEpochMilli(r.timestamp());
        try {
            if (r.topic().equals(Topics.ACTIONS.name())) {
                ActionRecord a = Topics.ACTIONS.valueCodec().decode(r.value());
                int i = 1;
                setText(actions, i++, a.actionId());
                setText(actions, i++, a.repo());
                actions.setLong(i++, a.target());
                setText(actions, i++, a.type().wireName());
                setText(actions, i++, a.producedBy());
                setText(actions, i++, a.reason());
                actions.setDouble(i++, a.confidence());
                actions.setObject(i++, time(a.createdAt()));
                actions.setObject(i++, time(a.notBefore()));
                actions.setObject(i++, time(a.expiresAt()));
                actions.setBoolean(i++, a.dryRun());
                actions.setObject(i++, time(writtenAt));
                setText(actions, i, json(Topics.ACTIONS.valueCodec().encode(a)));
                actions.addBatch();
                return a.actionId();
            }
            if (r.topic().equals(Topics.AUDIT.name())) {
                AuditRecord a = Topics.AUDIT.valueCodec().decode(r.value());
                int i = 1;
                setText(audits, i++, a.auditId());
                setText(audits, i++, a.actionId());
                setText(audits, i++, a.repo());
                audits.setLong(i++, a.target());
                setText(audits, i++, a.actionType().wireName());
                setText(audits, i++, a.outcome().wireName());
                setText(audits, i++, a.producedBy());
                audits.setObject(i++, a.githubStatus());
                setText(audits, i++, a.error());
                audits.setObject(i++, time(a.startedAt()));
                audits.setObject(i++, time(a.finishedAt()));
                audits.setObject(i++, time(writtenAt));
                setText(audits, i, json(Topics.AUDIT.valueCodec().encode(a)));
                audits.addBatch();
                return a.actionId();
            }
            if (r.topic().equals(Topics.SNAPSHOTS.name())) {
                Snapshot s = Topics.SNAPSHOTS.valueCodec().decode(r.value());
                setText(snapshots, 1, s.actionId());
                snapshots.setObject(2, time(s.takenAt()));
                snapshots.setObject(3, time(writtenAt));
                setText(snapshots, 4, json(Topics.SNAPSHOTS.valueCodec().encode(s)));
                snapshots.addBatch();
                return s.actionId();
            }
            if (r.topic().equals(Topics.EVENTS.name())) {
                GitHubEvent e = Topics.EVENTS.valueCodec().decode(r.value());
                JsonNode subject = subjectOf(e.payload());
                int i = 1;
                setText(events, i++, e.eventId());
                setText(events, i++, e.repo());
                setText(events, i++, e.type());
                setText(events, i++, e.action());
                setText(events, i++, e.source().wireName());
                events.setObject(i++, time(e.occurredAt()));
                events.setObject(i++, time(e.receivedAt()));
                setText(events, i++, text(e.payload().path("sender").path("login")));
                setText(events, i++, subject == null ? null : firstText(subject, "title", "name"));
                setText(events, i++, subject == null ? null : text(subject.path("html_url")));
                events.setObject(i, time(writtenAt));
                events.addBatch();
                eventIds.add(e.eventId());
                return NO_ACTION;
            }
            skip(r, "unknown_topic", "not a topic the console indexes");
            return null;
        } catch (RuntimeException bad) {
            // a record that breaks its schema is the writer's bug: name it, count it, go on
            skip(r, "invalid", bad.getMessage());
            return null;
        }
    }

    /** One repository's policy as read, or its removal (a tombstone), in the topic's order. */
    private record PolicyWrite(String repo, Instant updatedAt, Instant writtenAt, String json) {}

    /** Reads a policy record (or tombstone); {@link #NO_ACTION}, or null if skipped. */
    private String policy(ConsumerRecord<byte[], byte[]> r, List<PolicyWrite> policies) {
        Instant writtenAt = Instant.ofEpochMilli(r.timestamp());
        if (r.value() == null) {
            if (r.key() == null) {
                skip(r, "tombstone", "a tombstone without a key");
                return null;
            }
            policies.add(
                    new PolicyWrite(
                            new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)
                                    .toLowerCase(java.util.Locale.ROOT),
                            null,
                            writtenAt,
                            null));
            return NO_ACTION;
        }
        try {
            RepoPolicy p = Topics.CONFIG.valueCodec().decode(r.value());
            policies.add(
                    new PolicyWrite(
                            p.repo(),
                            p.updatedAt(),
                            writtenAt,
                            json(Topics.CONFIG.valueCodec().encode(p))));
            return NO_ACTION;
        } catch (RuntimeException bad) {
            skip(r, "invalid", bad.getMessage());
            return null;
        }
    }

    private static void writePolicies(Connection c, List<PolicyWrite> policies)
            throws SQLException {
        if (policies.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = c.prepareStatement(UPSERT_POLICY);
                PreparedStatement delete = c.prepareStatement(DELETE_POLICY)) {
            for (PolicyWrite p : policies) {
                if (p.json() == null) {
                    delete.setString(1, p.repo());
                    delete.executeUpdate();
                } else {
                    upsert.setString(1, p.repo());
                    upsert.setObject(2, time(p.updatedAt()));
                    upsert.setObject(3, time(p.writtenAt()));
                    setText(upsert, 4, p.json());
                    upsert.executeUpdate();
                }
            }
        }
    }

    private void skip(ConsumerRecord<byte[], byte[]> r, String reason, String detail) {
        LOG.warn(
                "skipped record {}-{}@{} (key {}): {}: {}",
                r.topic(),
                r.partition(),
                r.offset(),
                r.key() == null
                        ? "none"
                        : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8),
                reason,
                detail);
        metrics.skipped(r.topic(), reason);
    }

    private static Set<String> causedBy(Connection c, List<String> eventIds) throws SQLException {
        Set<String> ids = new LinkedHashSet<>();
        if (eventIds.isEmpty()) {
            return ids;
        }
        try (PreparedStatement s = c.prepareStatement(CAUSED_BY_EVENTS)) {
            java.sql.Array array = c.createArrayOf("text", eventIds.toArray());
            s.setArray(1, array);
            s.setArray(2, array);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** The item an event is about: its issue, pull request, workflow run or check suite. */
    private static JsonNode subjectOf(JsonNode payload) {
        for (String field : List.of("pull_request", "issue", "workflow_run", "check_suite")) {
            JsonNode node = payload.path(field);
            if (node.isObject()) {
                return node;
            }
        }
        return null;
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = text(node.path(field));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static OffsetDateTime time(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    /**
     * The record's JSON for a jsonb column. PostgreSQL refuses the NUL character in text and jsonb
     * alike, and one refused record would stop the indexer for good: NUL becomes U+FFFD.
     */
    private static String json(byte[] encoded) {
        String json = new String(encoded, java.nio.charset.StandardCharsets.UTF_8);
        return json.contains("\\u0000")
                ? ESCAPED_NUL.matcher(json).replaceAll("$1\\\\uFFFD")
                : json;
    }

    /**
     * An escaped NUL in JSON text: a backslash-u-0000 preceded by an even number of backslashes.
     */
    private static final java.util.regex.Pattern ESCAPED_NUL =
            java.util.regex.Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000");

    private static void setText(PreparedStatement s, int index, String value) throws SQLException {
        s.setString(
                index,
                value == null || value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD'));
    }
}

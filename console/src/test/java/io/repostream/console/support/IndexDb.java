package io.repostream.console.support;

import io.repostream.console.index.TopicIndexer;
import io.repostream.schemas.topics.Topic;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;

/** Reads the console's tables back, for assertions. */
public final class IndexDb {
    private final DataSource db;

    public IndexDb(DataSource db) {
        this.db = db;
    }

    /** Every row of {@code table}, ordered by {@code orderBy}, one string per row. */
    public List<String> rows(String table, String orderBy) {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY " + orderBy)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.append(meta.getColumnName(i))
                            .append('=')
                            .append(rs.getString(i))
                            .append(' ');
                }
                rows.add(row.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /** All indexed rows of every table but the offsets. */
    public List<String> everything() {
        List<String> all = new ArrayList<>();
        all.addAll(rows("actions", "action_id"));
        all.addAll(rows("audits", "audit_id"));
        all.addAll(rows("snapshots", "action_id"));
        all.addAll(rows("action_summary", "action_id"));
        all.addAll(rows("events", "event_id"));
        return all;
    }

    public String summaryColumn(String actionId, String column) {
        try (Connection c = db.getConnection();
                var s =
                        c.prepareStatement(
                                "SELECT " + column + " FROM action_summary WHERE action_id = ?")) {
            s.setString(1, actionId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The indexed audit records of one action, each as PostgreSQL prints its jsonb. */
    public List<String> audits(String actionId) {
        List<String> records = new ArrayList<>();
        try (Connection c = db.getConnection();
                var s =
                        c.prepareStatement(
                                "SELECT record::text FROM audits WHERE action_id = ?"
                                        + " ORDER BY finished_at")) {
            s.setString(1, actionId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    records.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return records;
    }

    public void execute(String sql) {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the stored offsets reach every partition's end. */
    public boolean caughtUp(TopicWriter kafka) {
        Map<TopicPartition, Long> stored = new HashMap<>();
        for (String row : rows("indexer_offsets", "topic, partition")) {
            String[] parts = row.split(" ");
            stored.put(
                    new TopicPartition(value(parts[0]), Integer.parseInt(value(parts[1]))),
                    Long.parseLong(value(parts[2])));
        }
        List<String> topics = TopicIndexer.TOPICS.stream().map(Topic::name).toList();
        return kafka.endOffsets(topics).entrySet().stream()
                .allMatch(e -> e.getValue() == 0 || e.getValue().equals(stored.get(e.getKey())));
    }

    private static String value(String column) {
        return column.substring(column.indexOf('=') + 1);
    }
}

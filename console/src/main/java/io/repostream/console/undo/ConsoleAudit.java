package io.repostream.console.undo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's own record of who did what through it (table {@code console_audit}): the executor
 * audits each rollback on {@code github.audit.v1}, and this adds the person who asked for it.
 * Blocking: call it off the event loop.
 */
public final class ConsoleAudit {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAudit.class);

    private final DataSource db;
    private final Clock clock;

    public ConsoleAudit(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** One entry: {@code person} ({@code role}) did {@code what} to {@code subject}. */
    public record Entry(
            Instant at,
            String person,
            String role,
            String what,
            String actionId,
            String subject,
            String outcome,
            String detail) {}

    /** Records an entry, and logs it (who, what, outcome; no tokens are ever part of it). */
    public void record(
            String person,
            String role,
            String what,
            String actionId,
            String subject,
            String outcome,
            String detail)
            throws SQLException {
        Instant at = clock.instant();
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO console_audit (at, person, role, what, action_id,"
                                        + " subject, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?,"
                                        + " ?)")) {
            s.setTimestamp(1, Timestamp.from(at));
            s.setString(2, person);
            s.setString(3, role);
            s.setString(4, what);
            s.setString(5, actionId);
            s.setString(6, subject);
            s.setString(7, outcome);
            s.setString(8, detail);
            s.executeUpdate();
        }
        LOG.info("{} ({}) {} {}: {} - {}", person, role, what, subject, outcome, detail);
    }

    /** What was done to {@code actionId} through the console, newest first. */
    public List<Entry> forAction(String actionId) throws SQLException {
        return query(
                "SELECT at, person, role, what, action_id, subject, outcome, detail FROM"
                        + " console_audit WHERE action_id = ? ORDER BY at DESC, id DESC LIMIT 50",
                actionId);
    }

    /** The newest entries, newest first. */
    public List<Entry> latest(int limit) throws SQLException {
        return query(
                "SELECT at, person, role, what, action_id, subject, outcome, detail FROM"
                        + " console_audit ORDER BY at DESC, id DESC LIMIT "
                        + Math.max(1, Math.min(limit, 500)),
                null);
    }

    private List<Entry> query(String sql, String arg) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            if (arg != null) {
                s.setString(1, arg);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    entries.add(
                            new Entry(
                                    rs.getTimestamp(1).toInstant(),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7),
                                    rs.getString(8)));
                }
            }
        }
        return entries;
    }
}

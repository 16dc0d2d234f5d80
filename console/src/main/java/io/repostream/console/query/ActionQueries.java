package io.repostream.console.query;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** The reads behind the pages and the JSON API. Blocking: call them off the event loop. */
public final class ActionQueries {
    private static final String COLUMNS =
            "action_id, repo, target, action_type, produced_by, rule, outcome, deferred_until,"
                    + " reason, error, dry_run, updated_at";

    /** Types whose target is a workflow run rather than an issue or pull request. */
    private static final Set<String> RUN_TYPES =
            Set.of(
                    ActionType.RERUN_FAILED_JOBS.wireName(),
                    ActionType.RERUN_WORKFLOW.wireName(),
                    ActionType.CANCEL_WORKFLOW_RUN.wireName());

    /** {@code owner/repo#123}: a free text that names one item exactly. */
    private static final java.util.regex.Pattern ITEM =
            java.util.regex.Pattern.compile("([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)#(\\d{1,18})");

    private final DataSource db;
    private final String githubWebUrl;

    /**
     * @param githubWebUrl where GitHub's pages are ({@code https://github.com}, or a GitHub
     *     Enterprise host)
     */
    public ActionQueries(DataSource db, String githubWebUrl) {
        this.db = db;
        this.githubWebUrl =
                githubWebUrl.endsWith("/")
                        ? githubWebUrl.substring(0, githubWebUrl.length() - 1)
                        : githubWebUrl;
    }

    /** The newest actions that match {@code filter}, newest first. */
    public List<ActionRow> list(ActionFilter filter) throws SQLException {
        StringBuilder sql =
                new StringBuilder("SELECT " + COLUMNS + " FROM action_summary WHERE true");
        List<Object> args = new ArrayList<>();
        where(sql, args, "repo = ?", filter.repo());
        where(sql, args, "rule = ?", filter.rule());
        where(sql, args, "action_type = ?", filter.type());
        where(sql, args, "outcome = ?", filter.outcome());
        where(sql, args, "updated_at >= ?", time(filter.from()));
        where(sql, args, "updated_at < ?", time(filter.to()));
        java.util.regex.Matcher item =
                filter.text() == null ? null : ITEM.matcher(filter.text().strip());
        if (item != null && item.matches()) {
            // an item's exact name: the repo's index instead of a trigram scan
            sql.append(" AND repo = ? AND target = ?");
            args.add(item.group(1).toLowerCase(java.util.Locale.ROOT));
            args.add(Long.parseLong(item.group(2)));
        } else if (filter.text() != null) {
            sql.append(" AND search_text LIKE ? ESCAPE '\\'");
            args.add("%" + likeEscape(filter.text().toLowerCase(java.util.Locale.ROOT)) + "%");
        }
        sql.append(" ORDER BY updated_at DESC, action_id DESC LIMIT ?");
        args.add(filter.limit());
        List<ActionRow> rows = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
        }
        return rows;
    }

    /**
     * Every repository with indexed actions: counts by latest outcome, the latest change and the
     * latest event received. One scan of the summaries, grouped: fine for thousands of repos.
     */
    public List<RepoRow> repos() throws SQLException {
        String sql =
                "SELECT s.repo, s.actions, s.applied, s.dry_run, s.pending, s.failed, s.dropped,"
                        + " s.rolled_back, s.last_change, e.last_event FROM (SELECT repo,"
                        + " count(*) AS actions,"
                        + " count(*) FILTER (WHERE outcome = 'applied') AS applied,"
                        + " count(*) FILTER (WHERE outcome = 'dry_run') AS dry_run,"
                        + " count(*) FILTER (WHERE outcome = 'pending') AS pending,"
                        + " count(*) FILTER (WHERE outcome IN ('failed', 'rollback_conflict')) AS"
                        + " failed,"
                        + " count(*) FILTER (WHERE outcome = 'dropped') AS dropped,"
                        + " count(*) FILTER (WHERE outcome = 'rolled_back') AS rolled_back,"
                        + " max(updated_at) AS last_change FROM action_summary GROUP BY repo) s"
                        + " LEFT JOIN (SELECT repo, max(received_at) AS last_event FROM events"
                        + " GROUP BY repo) e ON e.repo = s.repo ORDER BY s.repo";
        List<RepoRow> rows = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                java.sql.Timestamp lastEvent = rs.getTimestamp(10);
                rows.add(
                        new RepoRow(
                                rs.getString(1),
                                rs.getLong(2),
                                rs.getLong(3),
                                rs.getLong(4),
                                rs.getLong(5),
                                rs.getLong(6),
                                rs.getLong(7),
                                rs.getLong(8),
                                rs.getTimestamp(9).toInstant(),
                                lastEvent == null ? null : lastEvent.toInstant()));
            }
        }
        return rows;
    }

    /** The policy in force of every repository that has one (github.config.v1), by repo. */
    public List<PolicyRow> policies() throws SQLException {
        List<PolicyRow> rows = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT record::text FROM policies ORDER BY repo");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(
                        PolicyRow.of(
                                io.repostream.schemas.topics.Topics.CONFIG
                                        .valueCodec()
                                        .decode(
                                                rs.getString(1)
                                                        .getBytes(
                                                                java.nio.charset.StandardCharsets
                                                                        .UTF_8))));
            }
        }
        return rows;
    }

    /** Everything known about one action, or empty when the id is not indexed. */
    public Optional<ActionDetail> detail(String actionId) throws SQLException {
        try (Connection c = db.getConnection()) {
            ActionRow summary;
            try (PreparedStatement s =
                    c.prepareStatement(
                            "SELECT " + COLUMNS + " FROM action_summary WHERE action_id = ?")) {
                s.setString(1, actionId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    summary = row(rs);
                }
            }
            ActionRecord action =
                    one(c, "SELECT record FROM actions WHERE action_id = ?", actionId)
                            .map(json -> Topics.ACTIONS.valueCodec().decode(json))
                            .orElse(null);
            Snapshot snapshot =
                    one(c, "SELECT record FROM snapshots WHERE action_id = ?", actionId)
                            .map(json -> Topics.SNAPSHOTS.valueCodec().decode(json))
                            .orElse(null);
            List<AuditRecord> audits = new ArrayList<>();
            try (PreparedStatement s =
                    c.prepareStatement(
                            "SELECT record FROM audits WHERE action_id = ?"
                                    + " ORDER BY finished_at, audit_id")) {
                s.setString(1, actionId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        audits.add(Topics.AUDIT.valueCodec().decode(bytes(rs.getString(1))));
                    }
                }
            }
            List<String> causedBy =
                    action != null
                            ? action.causedBy()
                            : audits.isEmpty() ? List.of() : audits.get(0).causedBy();
            return Optional.of(
                    new ActionDetail(
                            summary,
                            action,
                            snapshot,
                            audits,
                            causes(c, causedBy),
                            StateDiff.between(
                                    ActionDetail.before(snapshot, audits),
                                    ActionDetail.after(audits)),
                            githubUrl(summary, snapshot)));
        }
    }

    private static List<CauseEvent> causes(Connection c, List<String> eventIds)
            throws SQLException {
        java.util.Map<String, CauseEvent> found = new java.util.HashMap<>();
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT event_id, type, action, source, occurred_at, sender, subject,"
                                + " subject_url FROM events WHERE event_id = ANY(?)")) {
            s.setArray(1, c.createArrayOf("text", eventIds.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String action = rs.getString("action");
                    found.put(
                            rs.getString("event_id"),
                            new CauseEvent(
                                    rs.getString("event_id"),
                                    true,
                                    rs.getString("type") + (action == null ? "" : "." + action),
                                    rs.getString("source"),
                                    instant(rs.getObject("occurred_at", OffsetDateTime.class)),
                                    rs.getString("sender"),
                                    rs.getString("subject"),
                                    rs.getString("subject_url")));
                }
            }
        }
        return eventIds.stream().map(id -> found.getOrDefault(id, CauseEvent.unknown(id))).toList();
    }

    /** Whether the database answers, for {@code /readyz}. */
    public boolean reachable() {
        try (Connection c = db.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private String githubUrl(ActionRow row, Snapshot snapshot) {
        String base = githubWebUrl + "/" + row.repo();
        if (RUN_TYPES.contains(row.actionType())) {
            return base + "/actions/runs/" + row.target();
        }
        if (snapshot != null && "pull_request".equals(snapshot.before().kind())) {
            return base + "/pull/" + row.target();
        }
        // GitHub redirects /issues/N to /pull/N when N is a pull request
        return base + "/issues/" + row.target();
    }

    private static Optional<byte[]> one(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(bytes(rs.getString(1))) : Optional.empty();
            }
        }
    }

    private static ActionRow row(ResultSet rs) throws SQLException {
        return new ActionRow(
                rs.getString("action_id"),
                rs.getString("repo"),
                rs.getLong("target"),
                rs.getString("action_type"),
                rs.getString("produced_by"),
                rs.getString("rule"),
                rs.getString("outcome"),
                instant(rs.getObject("deferred_until", OffsetDateTime.class)),
                rs.getString("reason"),
                rs.getString("error"),
                rs.getBoolean("dry_run"),
                instant(rs.getObject("updated_at", OffsetDateTime.class)));
    }

    private static void where(StringBuilder sql, List<Object> args, String clause, Object value) {
        if (value != null) {
            sql.append(" AND ").append(clause);
            args.add(value);
        }
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static OffsetDateTime time(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}

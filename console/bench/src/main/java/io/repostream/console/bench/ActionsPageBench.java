package io.repostream.console.bench;

import io.repostream.console.ConsoleMetrics;
import io.repostream.console.Database;
import io.repostream.console.query.ActionQueries;
import io.repostream.console.web.ConsoleServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How fast the Actions page answers with many rows indexed: fills the console's tables with
 * {@code rows} synthetic actions (one audit record each) straight in PostgreSQL, then times {@code
 * requests} sequential page loads per filter over HTTP. Bounded: it stops by itself.
 *
 * <p>Usage: ActionsPageBench JDBC_URL USER ROWS REQUESTS
 */
public final class ActionsPageBench {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        int rows = Integer.parseInt(args[2]);
        int requests = Integer.parseInt(args[3]);
        try (Database db = Database.open(url, user, "")) {
            long fill = System.nanoTime();
            fill(db, rows);
            System.out.printf(
                    "filled %,d actions and %,d audit records in %.1f s%n",
                    rows, rows, (System.nanoTime() - fill) / 1e9);
            Vertx vertx = Vertx.vertx();
            try {
                HttpServer server =
                        ConsoleServer.builder(
                                        vertx,
                                        new ActionQueries(db.dataSource(), "https://github.com"),
                                        new ConsoleMetrics())
                                .audit(
                                        new io.repostream.console.undo.ConsoleAudit(
                                                db.dataSource(), java.time.Clock.systemUTC()))
                                .tokens(
                                        new io.repostream.console.api.ApiTokens(
                                                db.dataSource(), java.time.Clock.systemUTC()))
                                .build()
                                .listen("127.0.0.1", 0)
                                .await(30, TimeUnit.SECONDS);
                measure("http://127.0.0.1:" + server.actualPort(), requests);
            } finally {
                vertx.close().await(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void fill(Database db, int rows) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE action_summary, audits");
            s.execute(
                    """
                    INSERT INTO audits (audit_id, action_id, repo, target, action_type, outcome,
                        produced_by, github_status, error, started_at, finished_at, written_at, record)
                    SELECT 'bench:' || g || '/applied', 'bench:' || g,
                        'org' || (g % 20) || '/repo-' || (g % 200), g % 5000 + 1,
                        (ARRAY['add_labels','remove_label','create_comment','close_issue',
                               'reopen_issue','add_assignees','rerun_failed_jobs'])[g % 7 + 1],
                        (ARRAY['applied','applied','applied','dry_run','failed','dropped',
                               'skipped_duplicate','rolled_back'])[g % 8 + 1],
                        'rule-' || (g % 12) || '@1', 200, NULL,
                        now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval,
                        now() - (g || ' seconds')::interval, '{}'::jsonb
                    FROM generate_series(1, ROWS) AS g
                    """
                            .replace("ROWS", String.valueOf(rows)));
            s.execute(
                    """
                    INSERT INTO action_summary (action_id, repo, target, action_type, produced_by,
                        rule, outcome, deferred_until, reason, error, dry_run, updated_at, search_text)
                    SELECT action_id, repo, target, action_type, produced_by,
                        split_part(produced_by, '@', 1), outcome, NULL,
                        'issue ' || repo || '#' || target || ' matched rule ' || produced_by,
                        NULL, outcome = 'dry_run', finished_at,
                        lower(repo || '#' || target || ' ' || action_id || ' issue title number '
                              || target || ' matched ' || produced_by)
                    FROM audits
                    """);
            s.execute("ANALYZE");
        }
    }

    private static void measure(String base, int requests) throws Exception {
        Map<String, String> scenarios = new LinkedHashMap<>();
        scenarios.put("no filter", "/actions");
        scenarios.put("repo", "/actions?repo=org3/repo-123");
        // rule-5 (g % 12 = 5) never has outcome failed (g % 8 = 4): a filter pair with no match
        scenarios.put("rule + outcome, no match", "/actions?rule=rule-5&outcome=failed");
        scenarios.put("rule + outcome", "/actions?rule=rule-4&outcome=failed");
        scenarios.put("type + outcome", "/actions?type=close_issue&outcome=dropped");
        scenarios.put("type", "/actions?type=close_issue");
        scenarios.put("outcome rare", "/actions?outcome=rolled_back&repo=org7/repo-7");
        scenarios.put("time range (1 h, a week ago)",
                "/actions?from=" + java.time.Instant.now().minusSeconds(7 * 86400)
                        + "&to=" + java.time.Instant.now().minusSeconds(7 * 86400 - 3600));
        scenarios.put("text: item", "/actions?q=org3/repo-123%234124");
        scenarios.put("text: no match", "/actions?q=zzzz-nothing");
        scenarios.put("api, repo", "/api/actions?repo=org3/repo-123");
        HttpClient http = HttpClient.newHttpClient();
        System.out.printf("%-30s %8s %8s %8s %8s%n", "page", "p50 ms", "p95 ms", "p99 ms", "max ms");
        for (Map.Entry<String, String> s : scenarios.entrySet()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + s.getValue())).build();
            for (int i = 0; i < 10; i++) {
                check(http.send(request, HttpResponse.BodyHandlers.ofString()), s.getValue());
            }
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                long t = System.nanoTime();
                check(http.send(request, HttpResponse.BodyHandlers.ofString()), s.getValue());
                ms.add((System.nanoTime() - t) / 1e6);
            }
            Collections.sort(ms);
            System.out.printf(
                    "%-30s %8.1f %8.1f %8.1f %8.1f%n",
                    s.getKey(),
                    pct(ms, 50),
                    pct(ms, 95),
                    pct(ms, 99),
                    ms.get(ms.size() - 1));
        }
    }

    private static void check(HttpResponse<String> r, String path) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, i));
    }
}

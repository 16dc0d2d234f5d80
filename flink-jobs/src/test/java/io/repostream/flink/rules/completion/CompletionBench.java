package io.repostream.flink.rules.completion;

import static io.repostream.flink.rules.completion.WorkEvents.REPO;

import io.repostream.flink.Events;
import io.repostream.flink.rules.RuleHarness;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.Completion;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of the completion rule's closes and suggestions at the policy's defaults, on
 * a history composed from real example payloads (@octokit/webhooks-examples, through {@link
 * WorkEvents}) where the true outcome of each issue is known because the generator decided it: each
 * issue is either done (its work landed and fixed it) or not (partial work a maintainer says is not
 * fixed, related work linked with {@code refs}, abandoned pull requests, a second part still open,
 * and a done-looking merge linked to the wrong issue, which no evidence can tell apart). The shares
 * of each kind are this class's assumptions, printed with the result; see
 * flink-jobs/bench/completion/README.md. Not a unit test (surefire runs it only when named): {@code
 * bench/completion/run.sh}.
 */
class CompletionBench {
    private static final int ISSUES = Integer.getInteger("bench.issues", 1000);
    private static final long SEED = Long.getLong("bench.seed", 42L);

    /** How an issue's history was composed; {@code done} is the truth. */
    private record Case(long issue, String kind, boolean done) {}

    @Test
    void precisionAndRecallAtTheDefaults() throws Exception {
        Random random = new Random(SEED);
        var harness = RuleHarness.of(Rules.COMPLETION, new CompletionFunction());
        harness.processBroadcastElement(
                RepoPolicy.builder(REPO)
                        .completion(Completion.defaults())
                        .updatedAt(Events.T0)
                        .build(),
                0);
        List<Case> cases = new ArrayList<>();
        List<GitHubEvent> history = new ArrayList<>();
        for (int i = 0; i < ISSUES; i++) {
            long issue = 1000 + i;
            Case c = compose(issue, i * 120.0, random, history);
            cases.add(c);
        }
        history.sort((a, b) -> a.occurredAt().compareTo(b.occurredAt()));
        long start = System.nanoTime();
        for (GitHubEvent e : history) {
            harness.processElement(e, e.occurredAt().toEpochMilli());
        }
        harness.watermark(WorkEvents.minute(ISSUES * 120.0 + 1000).toEpochMilli());
        long elapsed = System.nanoTime() - start;

        Set<Long> closed = new HashSet<>();
        Set<Long> suggested = new HashSet<>();
        Map<Long, List<String>> closeEvidence = new HashMap<>();
        for (ActionRecord a : harness.extractOutputValues()) {
            if (a.type() == ActionType.CLOSE_ISSUE) {
                closed.add(a.target());
                closeEvidence.put(a.target(), a.evidence());
            } else if (a.type() == ActionType.ADD_LABELS) {
                suggested.add(a.target());
            }
        }
        harness.close();
        suggested.removeAll(closed); // a suggestion later upgraded counts as a close

        int done = 0;
        int closedDone = 0;
        int suggestedDone = 0;
        Map<String, int[]> byKind = new HashMap<>();
        for (Case c : cases) {
            done += c.done() ? 1 : 0;
            closedDone += c.done() && closed.contains(c.issue()) ? 1 : 0;
            suggestedDone += c.done() && suggested.contains(c.issue()) ? 1 : 0;
            int[] row = byKind.computeIfAbsent(c.kind(), k -> new int[3]);
            row[0]++;
            row[1] += closed.contains(c.issue()) ? 1 : 0;
            row[2] += suggested.contains(c.issue()) ? 1 : 0;
        }
        StringBuilder report = new StringBuilder();
        report.append(
                String.format(
                        Locale.ROOT,
                        "completion bench: %d issues (%d done), %d events, seed %d, %.1f ms%n",
                        ISSUES,
                        done,
                        history.size(),
                        SEED,
                        elapsed / 1e6));
        report.append(
                String.format(
                        Locale.ROOT,
                        "closes:      %d, precision %.3f, recall %.3f%n",
                        closed.size(),
                        ratio(closedDone, closed.size()),
                        ratio(closedDone, done)));
        report.append(
                String.format(
                        Locale.ROOT,
                        "suggestions: %d, precision %.3f, recall %.3f"
                                + " (closed or suggested: recall %.3f)%n",
                        suggested.size(),
                        ratio(suggestedDone, suggested.size()),
                        ratio(suggestedDone, done),
                        ratio(closedDone + suggestedDone, done)));
        report.append("kind | issues | closed | suggested\n");
        byKind.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(
                        e ->
                                report.append(
                                        String.format(
                                                Locale.ROOT,
                                                "%s | %d | %d | %d%n",
                                                e.getKey(),
                                                e.getValue()[0],
                                                e.getValue()[1],
                                                e.getValue()[2])));
        report.append("false closes (issue, kind, the close's evidence):\n");
        for (Case c : cases) {
            if (!c.done() && closed.contains(c.issue())) {
                report.append(
                        String.format(
                                Locale.ROOT,
                                "#%d | %s | %s%n",
                                c.issue(),
                                c.kind(),
                                String.join("; ", closeEvidence.get(c.issue()))));
            }
        }
        Path file = Path.of(System.getProperty("bench.out", "target/completion-bench.txt"));
        Files.writeString(file, report.toString());
        System.out.print(report);
    }

    private static double ratio(int a, int b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }

    /**
     * The events of one issue's work, from minute {@code t}: 60 % of issues are done; the rest are
     * one of the kinds of not-done work.
     */
    private static Case compose(long issue, double t, Random r, List<GitHubEvent> out) {
        boolean feature = r.nextDouble() < 0.3;
        if (feature) {
            out.add(WorkEvents.issue("labeled", issue, List.of("enhancement"), t));
        }
        String sha = String.format(Locale.ROOT, "%040x", issue);
        if (r.nextDouble() < 0.6) {
            double form = r.nextDouble();
            String body = form < 0.75 ? "Fixes #" + issue : form < 0.85 ? "Refs #" + issue : "";
            String head = form < 0.85 ? "fix-login-" + issue : issue + "-fix-login";
            boolean tests = r.nextDouble() < 0.75;
            boolean docs = feature && r.nextDouble() < 0.7;
            work(out, issue, body, head, sha, tests, docs, t);
            double checks = r.nextDouble();
            if (checks < 0.9) {
                out.add(WorkEvents.checkSuite(sha, "success", t + 15));
            } else if (checks < 0.95) {
                out.add(WorkEvents.checkSuite(sha, "failure", t + 15)); // a flaky run
            }
            if (r.nextDouble() < 0.05) { // a follow-up pull request still open
                out.add(
                        WorkEvents.pullRequest(
                                "opened",
                                issue * 10 + 1,
                                "Follow-up",
                                "Fixes #" + issue,
                                "follow-up-" + issue,
                                "main",
                                false,
                                t + 3));
            }
            if (r.nextDouble() < 0.1) { // a contributor's complaint: not a maintainer's
                out.add(WorkEvents.comment(issue, "still broken for me", "NONE", t + 20));
            }
            return new Case(issue, "done", true);
        }
        double kind = r.nextDouble();
        boolean tests = r.nextDouble() < 0.5;
        if (kind < 0.35) {
            work(out, issue, "Fixes #" + issue, "fix-login-" + issue, sha, tests, false, t);
            if (r.nextDouble() < 0.8) {
                out.add(WorkEvents.checkSuite(sha, "success", t + 15));
            }
            if (r.nextDouble() < 0.6) {
                out.add(
                        WorkEvents.comment(
                                issue, "This is still broken on main.", "MEMBER", t + 20));
            }
            return new Case(issue, "partial fix", false);
        }
        if (kind < 0.6) {
            work(out, issue, "Refs #" + issue, "refactor-" + issue, sha, tests, false, t);
            if (r.nextDouble() < 0.85) {
                out.add(WorkEvents.checkSuite(sha, "success", t + 15));
            }
            return new Case(issue, "related work (refs)", false);
        }
        if (kind < 0.8) {
            out.add(
                    WorkEvents.pullRequest(
                            "closed",
                            issue * 10,
                            "Attempt",
                            "Fixes #" + issue,
                            "attempt-" + issue,
                            "main",
                            false,
                            sha,
                            t + 10));
            return new Case(issue, "abandoned", false);
        }
        if (kind < 0.9) {
            work(out, issue, "Fixes #" + issue, "part-1-" + issue, sha, tests, false, t);
            out.add(WorkEvents.checkSuite(sha, "success", t + 15));
            out.add(
                    WorkEvents.pullRequest(
                            "opened",
                            issue * 10 + 1,
                            "Part 2",
                            "Fixes #" + issue,
                            "part-2-" + issue,
                            "main",
                            false,
                            t + 3));
            return new Case(issue, "second part open", false);
        }
        work(
                out,
                issue,
                "Fixes #" + issue,
                "fix-other-" + issue,
                sha,
                r.nextDouble() < 0.75,
                false,
                t);
        if (r.nextDouble() < 0.9) {
            out.add(WorkEvents.checkSuite(sha, "success", t + 15));
        }
        return new Case(issue, "wrong issue linked", false);
    }

    /** A push to {@code head}, pull request {@code issue*10} from it, merged at t+10 as sha. */
    private static void work(
            List<GitHubEvent> out,
            long issue,
            String body,
            String head,
            String sha,
            boolean tests,
            boolean docs,
            double t) {
        List<String> paths = new ArrayList<>(List.of("src/login.js"));
        if (tests) {
            paths.add("test/login.test.js");
        }
        if (docs) {
            paths.add("docs/login.md");
        }
        out.add(WorkEvents.push(head, "a" + sha.substring(1), "Work on it", paths, t + 1));
        out.add(
                WorkEvents.pullRequest(
                        "opened", issue * 10, "Work", body, head, "main", false, t + 2));
        out.add(
                WorkEvents.pullRequest(
                        "closed", issue * 10, "Work", body, head, "main", true, sha, t + 10));
    }
}

package io.repostream.localstack;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.Snapshot;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What one demo run produced at every hop, and how it is shown to a person. */
public record DemoOutcome(
        String repo,
        int unlabelledIssue,
        List<Answer> answers,
        List<GitHubEvent> events,
        List<ActionRecord> actions,
        List<Snapshot> snapshots,
        List<AuditRecord> audits,
        List<String> mutations) {

    /** The bridge's answer to one delivery. */
    public record Answer(DemoDelivery delivery, int status, String body) {}

    public void print(PrintStream out) {
        out.println();
        out.println("Replayed " + answers.size() + " webhook deliveries to the ingest bridge:");
        for (Answer a : answers) {
            out.printf(
                    "  %d  %-24s %s%n",
                    a.status(),
                    a.delivery().event() + "." + a.delivery().action(),
                    a.delivery().note());
        }
        Map<String, Long> byType =
                events.stream()
                        .collect(
                                Collectors.groupingBy(
                                        GitHubEvent::qualifiedType,
                                        TreeMap::new,
                                        Collectors.counting()));
        out.println();
        out.println("Events in github.events.v1: " + events.size() + "  " + byType);
        out.println("Actions in github.actions.v1 (Flink, exactly once): " + actions.size());
        for (ActionRecord a : actions) {
            out.printf(
                    "  %s %s %s  reason: %s  by %s%n",
                    a.type().wireName(), a.targetRef(), a.params(), a.reason(), a.producedBy());
        }
        out.println(
                "Snapshots in github.snapshots.v1 (taken before each mutation): "
                        + snapshots.size());
        for (Snapshot s : snapshots) {
            out.printf("  %s#%d labels before: %s%n", s.repo(), s.target(), s.before().labels());
        }
        out.println("Audit records in github.audit.v1: " + audits.size());
        for (AuditRecord a : audits) {
            out.printf(
                    "  %s %s %s#%d  labels %s -> %s  (GitHub %s, %s requests left)%n",
                    a.outcome().wireName(),
                    a.actionType().wireName(),
                    a.repo(),
                    a.target(),
                    a.before() == null ? "?" : a.before().labels(),
                    a.after() == null ? "?" : a.after().labels(),
                    a.githubStatus(),
                    a.rateLimit() == null ? "?" : a.rateLimit().remaining());
        }
        out.println("Mutations the GitHub simulator saw:");
        mutations.forEach(m -> out.println("  " + m));
    }
}

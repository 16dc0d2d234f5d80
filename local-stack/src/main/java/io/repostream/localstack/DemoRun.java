package io.repostream.localstack;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.topics.Topics;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Replays the demo deliveries through a running {@link LocalStack} and collects what every hop
 * produced: the bridge's answers, the events, the actions, the snapshots, the audit records and the
 * mutations GitHub saw.
 */
public final class DemoRun {
    private final LocalStack stack;
    private final Duration timeout;

    public DemoRun(LocalStack stack, Duration timeout) {
        this.stack = stack;
        this.timeout = timeout;
    }

    /**
     * Seeds the simulator with the examples' repository and issues, replays, and waits until the
     * triage label's audit record is in.
     */
    public DemoOutcome run() throws Exception {
        String repo = DemoScript.exampleRepo();
        var issue = DemoScript.exampleIssue();
        stack.github().createRepo(repo);
        stack.github()
                .createIssue(
                        repo,
                        issue.path("title").asText(),
                        issue.path("body").asText(""),
                        issue.path("user").path("login").asText(),
                        "bug");
        int unlabelled =
                stack.github()
                        .createIssue(
                                repo,
                                "Spelling error in the README file (no labels yet)",
                                "It looks like you accidently spelled 'commit' with two 't's.",
                                issue.path("user").path("login").asText());

        List<DemoDelivery> deliveries = DemoScript.deliveries(unlabelled);
        WebhookReplayer replayer = new WebhookReplayer(stack.webhookUrl(), stack.webhookSecret());
        List<DemoOutcome.Answer> answers = new ArrayList<>();
        for (DemoDelivery delivery : deliveries) {
            HttpResponse<String> response = replayer.post(delivery);
            answers.add(new DemoOutcome.Answer(delivery, response.statusCode(), response.body()));
        }

        List<GitHubEvent> events =
                values(stack.kafka().consume(Topics.EVENTS, deliveries.size(), timeout));
        // the mutations the rules proposed: reads (a rule asking GitHub for a file, say) are
        // actions too, and may come first
        List<ActionRecord> actions =
                until(stack, Topics.ACTIONS, timeout, a -> !a.type().read()).stream()
                        .filter(a -> !a.type().read())
                        .toList();
        java.util.Set<String> ids =
                actions.stream()
                        .map(ActionRecord::actionId)
                        .collect(java.util.stream.Collectors.toSet());
        List<AuditRecord> audits =
                until(stack, Topics.AUDIT, timeout, a -> ids.contains(a.actionId())).stream()
                        .filter(a -> ids.contains(a.actionId()))
                        .toList();
        List<Snapshot> snapshots = values(stack.kafka().consume(Topics.SNAPSHOTS, 1, timeout));
        return new DemoOutcome(
                repo,
                unlabelled,
                answers,
                events,
                actions,
                snapshots,
                audits,
                List.copyOf(stack.github().mutations()));
    }

    /**
     * The records of {@code topic} read until one matches {@code wanted}, at most {@code timeout}.
     */
    private static <V> List<V> until(
            LocalStack stack,
            io.repostream.schemas.topics.Topic<String, V> topic,
            Duration timeout,
            java.util.function.Predicate<V> wanted) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int atLeast = 1;
        while (true) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            List<V> read = values(stack.kafka().consume(topic, atLeast, left));
            if (read.stream().anyMatch(wanted)) {
                return read;
            }
            atLeast = read.size() + 1;
        }
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}

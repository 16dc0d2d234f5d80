package io.repostream.bridge;

import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/** The bridge as the polling tests start it: one event loop, one repository of the simulator. */
final class TestBridges {
    private TestBridges() {}

    /** Webhooks signed with {@code secret}, written to {@code kafka}, on one event loop. */
    static BridgeConfig config(EmbeddedKafkaBroker kafka, String secret) {
        return BridgeConfig.defaults()
                .withKafkaBootstrapServers(kafka.bootstrapServers())
                .withWebhookSecret(secret)
                .withEventLoops(1);
    }

    /**
     * Polling {@code repo} with the simulator's default token every {@code interval}, keeping the
     * cursors in {@code cursors} (none kept when null).
     */
    static PollConfig polling(
            GitHubSimulator github, String repo, Duration interval, Path cursors) {
        return new PollConfig(
                github.baseUrl(), GitHubSimulator.DEFAULT_TOKEN, List.of(repo), interval, cursors);
    }

    /**
     * Starts the bridge and waits until the round it polls as it starts has asked for {@code
     * repo}'s event feed: that round holds the poller while it runs, so a {@code pollNow()} after
     * this waits for it to end and counts only what came later.
     */
    static IngestBridge startPolling(BridgeConfig config, GitHubSimulator github, String repo) {
        int before = feedRequests(github, repo).size();
        IngestBridge bridge = IngestBridge.start(config);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> feedRequests(github, repo).size() > before);
        return bridge;
    }

    /** The simulator's log lines of the requests for {@code repo}'s event feed. */
    static List<String> feedRequests(GitHubSimulator github, String repo) {
        return github.requests().stream()
                .filter(r -> r.contains("/repos/" + repo + "/events"))
                .toList();
    }
}

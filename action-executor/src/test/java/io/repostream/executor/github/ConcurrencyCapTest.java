package io.repostream.executor.github;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.executor.ExecutorConfig;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.schemas.TargetState;
import io.repostream.testkit.github.GitHubSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GitHub allows at most 100 concurrent requests: the gate holds back the rest, whatever the number
 * of threads asking. Measured where it counts, at the simulator, with slow answers so that requests
 * pile up.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrencyCapTest {
    private static final String REPO = "acme/busy";

    private GitHubSimulator github;

    @BeforeEach
    void start() {
        github = GitHubSimulator.start();
        github.createRepo(REPO);
    }

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void neverHasMoreRequestsInFlightThanConfiguredWhateverTheThreads() throws Exception {
        int cap = 4;
        int threads = 20;
        List<Integer> issues = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            issues.add(github.createIssue(REPO, "Issue " + i, "", "alice"));
        }
        ExecutorConfig config =
                ExecutorConfig.defaults(
                                "127.0.0.1:1", github.baseUrl(), GitHubSimulator.DEFAULT_TOKEN)
                        .withoutPacing()
                        .withMaxConcurrentRequests(cap);
        ExecutorMetrics metrics = new ExecutorMetrics();
        RestGitHubClient client =
                new RestGitHubClient(config, new RequestGate(config, metrics), metrics);
        // warm the client's repository cache, so that every request below is one issue read
        client.issue(REPO, issues.get(0));
        github.setResponseDelay(Duration.ofMillis(200));
        github.resetMaxConcurrentRequests();

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<TargetState>> reads = new ArrayList<>();
            for (int number : issues) {
                reads.add(pool.submit(() -> client.issue(REPO, number).value()));
            }
            for (Future<TargetState> read : reads) {
                assertThat(read.get(30, TimeUnit.SECONDS).state()).isEqualTo("open");
            }
        } finally {
            pool.shutdownNow();
        }

        // twenty threads asked at once; the simulator never held more than the cap, and did
        // hold several at a time (so the cap, not a single line of requests, kept it there)
        assertThat(github.maxConcurrentRequests()).isLessThanOrEqualTo(cap).isGreaterThan(1);
        assertThat(github.requestCounts())
                .containsEntry("GET /repos/" + REPO + "/issues/" + issues.get(5) + " 200", 1L);
    }
}

package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.executor.github.Credentials;
import io.repostream.executor.github.GitHubHttp;
import io.repostream.executor.github.RestGitHubClient;
import io.repostream.executor.support.Actions;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The executor runs the graph {@link ExecutorWiring} built, so a test can give it a GitHub client
 * of its own: here the production client over the production stack, with one more layer that notes
 * every request it passes, below the gate and metrics.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExecutorWiringTest {
    private static final String REPO = "wiring/app";

    @Test
    void runsWithTheGitHubClientItIsGiven(EmbeddedKafkaBroker kafka, GitHubSimulator github) {
        github.createRepo(REPO);
        int issue = github.createIssue(REPO, "Wire me", "", "alice");
        List<String> passed = new CopyOnWriteArrayList<>();
        ExecutorConfig config =
                ExecutorConfig.defaults(
                                kafka.bootstrapServers(),
                                github.baseUrl(),
                                GitHubSimulator.DEFAULT_TOKEN)
                        .withGroupId("wiring")
                        .withoutPacing();
        ExecutorWiring wiring =
                ExecutorWiring.of(
                        config,
                        (cfg, gate, metrics) -> {
                            Credentials credentials = Credentials.token(cfg.githubToken());
                            GitHubHttp transport = RestGitHubClient.transport(cfg);
                            GitHubHttp noting =
                                    request -> {
                                        passed.add(request.method() + " " + request.operation());
                                        return transport.send(request);
                                    };
                            return new RestGitHubClient(
                                    GitHubHttp.standard(noting, credentials, gate, metrics),
                                    credentials,
                                    gate);
                        });
        ActionRecord action = Actions.addLabels(REPO, issue, "wired");

        try (KafkaTopics topics = new KafkaTopics(kafka);
                ActionExecutor executor = ActionExecutor.start(config, wiring)) {
            topics.send(action);
            AuditRecord audit =
                    topics.awaitAudit(
                            action.actionId(), AuditOutcome.APPLIED, Duration.ofSeconds(30));

            assertThat(audit.after().labels()).contains("wired");
            assertThat(audit.githubStatus()).isEqualTo(200);
            assertThat(executor.metrics()).isSameAs(wiring.metrics());
        }
        assertThat(passed).containsExactly("GET get_issue", "POST add_labels");
        assertThat(github.mutations()).contains(REPO + "#" + issue + ":+label:wired");
    }
}

package io.repostream.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.schemas.RepoPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack with the executor as a GitHub App (what local-stack/bench measures many installations
 * with): a signed webhook ends as a label written with the token of the installation that owns the
 * repository, which the executor looked up and bought with the App's key.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GitHubAppStackTest {
    private static final long INSTALLATION = 7_701;

    @TempDir Path workDir;

    @Test
    void labelsTheIssueWithTheTokenOfTheInstallationThatOwnsTheRepo() throws Exception {
        try (LocalStack stack = LocalStack.startAsGitHubApp(workDir)) {
            String repo = DemoScript.exampleRepo();
            stack.github().createRepo(repo);
            stack.github().installApp(LocalStack.GITHUB_APP_ID, INSTALLATION, repo);
            int issue = stack.github().createIssue(repo, "No labels yet", "", "octocat");
            List<DemoDelivery> deliveries = DemoScript.deliveries(issue);
            DemoDelivery unlabelled = deliveries.get(deliveries.size() - 1);

            int status =
                    new WebhookReplayer(stack.webhookUrl(), stack.webhookSecret())
                            .post(unlabelled)
                            .statusCode();

            assertThat(status).isEqualTo(202);
            await().atMost(Duration.ofSeconds(120))
                    .until(
                            () -> stack.github().labels(repo, issue),
                            labels -> labels.contains(RepoPolicy.DEFAULT_TRIAGE_LABEL));
            assertThat(stack.github().installationTokensIssued()).containsKey(INSTALLATION);
            assertThat(stack.github().timedMutations())
                    .singleElement()
                    .satisfies(
                            m ->
                                    assertThat(m.mutation())
                                            .isEqualTo(
                                                    repo
                                                            + "#"
                                                            + issue
                                                            + ":+label:"
                                                            + RepoPolicy.DEFAULT_TRIAGE_LABEL));
        }
    }
}

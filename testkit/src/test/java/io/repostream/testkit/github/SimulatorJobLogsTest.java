package io.repostream.testkit.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A job's log as GitHub serves it: a 302 to a signed URL that answers plain text for a minute,
 * without credentials.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SimulatorJobLogsTest {
    private static final String REPO = "octo/widgets";
    private static final String LOG =
            "2026-12-07T10:00:00.0000000Z ##[group]Run mvn test\n"
                    + "2026-12-07T10:00:01.0000000Z [ERROR] Tests run: 3, Failures: 1\n"
                    + "2026-12-07T10:00:02.0000000Z ##[error]Process completed with exit code 1.\n";

    private GitHubSimulator simulator;
    private SimulatorHttp http;
    private final HttpClient plain = HttpClient.newHttpClient();
    private long jobId;

    @BeforeEach
    void start() {
        simulator = GitHubSimulator.start();
        simulator.createRepo(REPO);
        long run = simulator.createWorkflowRun(REPO, 7, "a".repeat(40), "completed", "failure");
        jobId = simulator.addJob(REPO, run, "test", "completed", "failure");
        http = new SimulatorHttp(simulator.baseUrl(), GitHubSimulator.DEFAULT_TOKEN);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private HttpResponse<String> download(String url, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder get =
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            get.header("Authorization", authorization);
        }
        return plain.send(get.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String location() {
        SimulatorHttp.Response r = http.get("/repos/" + REPO + "/actions/jobs/" + jobId + "/logs");
        assertThat(r.status()).isEqualTo(302);
        return r.header("Location");
    }

    @Test
    void redirectsToASignedUrlThatServesTheLogAsPlainTextWithoutCredentials() throws Exception {
        simulator.setJobLog(REPO, jobId, LOG);

        String location = location();

        assertThat(location).contains("urlSignature=").contains("urlExpires=");
        HttpResponse<String> log = download(location, null);
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(log.body()).isEqualTo(LOG);
    }

    @Test
    void refusesTheDownloadWhenTheClientSendsItsGitHubCredentialsThere() throws Exception {
        simulator.setJobLog(REPO, jobId, LOG);

        HttpResponse<String> log = download(location(), "Bearer " + GitHubSimulator.DEFAULT_TOKEN);

        assertThat(log.statusCode()).isEqualTo(403);
    }

    @Test
    void aSignedUrlExpiresAfterAMinuteAndAWrongSignatureIsRefused() throws Exception {
        simulator.freezeTime();
        simulator.setJobLog(REPO, jobId, LOG);
        String location = location();

        assertThat(
                        download(location.replaceAll("urlSignature=\\w+", "urlSignature=00"), null)
                                .statusCode())
                .isEqualTo(403);
        simulator.advanceTime(Duration.ofSeconds(61));
        assertThat(download(location, null).statusCode()).isEqualTo(403);
    }

    @Test
    void answers404ForAnUnknownJobOrAJobWithoutALog() {
        assertThat(http.get("/repos/" + REPO + "/actions/jobs/" + jobId + "/logs").status())
                .isEqualTo(404);
        assertThat(http.get("/repos/" + REPO + "/actions/jobs/999999/logs").status())
                .isEqualTo(404);
    }
}

package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.GitHubEvent;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Polling and gap fill as a GitHub App installation, against the simulator's app endpoints, which
 * check the JWT's RS256 signature with the app's public key and hand out installation tokens that
 * see only the installation's repositories.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(120)
class GitHubAppAuthTest {
    private static final AtomicInteger APPS = new AtomicInteger(4200);

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    @TempDir Path dir;
    private long appId;
    private long installationId;
    private String repo;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
    }

    @BeforeEach
    void newApp() {
        appId = APPS.incrementAndGet();
        installationId = appId * 10;
        repo = "octo/app-" + appId;
        github.createRepo(repo);
        github.setInstallationTokenLifetime(Duration.ofHours(1));
    }

    private static KeyPair rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** GitHub hands out PKCS#1 PEM keys; Java writes PKCS#8, whose last part is the PKCS#1 key. */
    private Path pkcs1Pem(KeyPair keys) throws Exception {
        byte[] pkcs8 = keys.getPrivate().getEncoded();
        byte[] pkcs1 = java.util.Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        Path file = dir.resolve("app-" + appId + ".pem");
        Files.writeString(
                file,
                "-----BEGIN RSA PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(pkcs1)
                        + "\n-----END RSA PRIVATE KEY-----\n");
        return file;
    }

    private BridgeConfig config(Path key, List<String> hooks) {
        return TestBridges.config(kafka, "app-test-secret")
                .withPoll(
                        new PollConfig(
                                github.baseUrl(),
                                null,
                                List.of(repo),
                                Duration.ofHours(1),
                                null,
                                hooks,
                                new GitHubApp(appId, installationId, key)));
    }

    private static GitHubEvent onlyEventOf(String repo) {
        List<GitHubEvent> events = TopicContents.eventsOf(kafka, repo);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private List<String> feedRequests() {
        return TestBridges.feedRequests(github, repo);
    }

    @Test
    void pollsWithAnInstallationTokenObtainedWithTheAppsJwtAndReusesIt() throws Exception {
        KeyPair keys = rsaKeys();
        github.registerApp(appId, keys.getPublic());
        github.installApp(appId, installationId, repo);
        github.createIssue(repo, "seen by the app", "body", "alice");
        try (IngestBridge bridge = IngestBridge.start(config(pkcs1Pem(keys), List.of()))) {
            bridge.pollNow();
            bridge.pollNow();
        }

        assertThat(feedRequests())
                .hasSizeGreaterThanOrEqualTo(2)
                .noneMatch(r -> r.endsWith(" 401"));
        assertThat(github.installationTokensIssued()).containsEntry(installationId, 1L);
        // as the app's webhooks would say: the job's per-installation limits count polled and
        // delivered events of the installation together
        GitHubEvent polled = onlyEventOf(repo);
        assertThat(polled.installationId()).isEqualTo(installationId);
        assertThat(polled.payload().path("installation").path("id").asLong())
                .isEqualTo(installationId);
    }

    @Test
    void eventsPolledWithATokenNameNoInstallation() throws Exception {
        String token = "repostream-token-" + appId;
        github.addToken(token, "poller");
        github.createIssue(repo, "seen with a token", "body", "alice");
        try (IngestBridge bridge =
                IngestBridge.start(
                        TestBridges.config(kafka, "app-test-secret")
                                .withPoll(
                                        new PollConfig(
                                                github.baseUrl(),
                                                token,
                                                List.of(repo),
                                                Duration.ofHours(1),
                                                null)))) {
            bridge.pollNow();
        }

        GitHubEvent polled = onlyEventOf(repo);
        assertThat(polled.installationId()).isNull();
        assertThat(polled.payload().has("installation")).isFalse();
    }

    @Test
    void anInstallationTokenAboutToExpireIsRefreshedBeforeUse() throws Exception {
        KeyPair keys = rsaKeys();
        github.registerApp(appId, keys.getPublic());
        github.installApp(appId, installationId, repo);
        // within the five-minute refresh margin: every use asks for a fresh token
        github.setInstallationTokenLifetime(Duration.ofMinutes(4));
        try (IngestBridge bridge = IngestBridge.start(config(pkcs1Pem(keys), List.of()))) {
            bridge.pollNow();
            bridge.pollNow();
        }

        assertThat(github.installationTokensIssued().get(installationId))
                .isGreaterThanOrEqualTo(2L);
        assertThat(feedRequests()).noneMatch(r -> r.endsWith(" 401"));
    }

    @Test
    void aJwtSignedWithAnotherKeyIsRefusedAndNothingIsPolled() throws Exception {
        github.registerApp(appId, rsaKeys().getPublic());
        github.installApp(appId, installationId, repo);
        try (IngestBridge bridge = IngestBridge.start(config(pkcs1Pem(rsaKeys()), List.of()))) {
            assertThat(bridge.pollNow()).isZero();
        }

        assertThat(github.requests())
                .anyMatch(
                        r ->
                                r.startsWith(
                                                "POST /app/installations/"
                                                        + installationId
                                                        + "/access_tokens ")
                                        && r.endsWith(" 401"));
        assertThat(github.installationTokensIssued()).doesNotContainKey(installationId);
        assertThat(feedRequests()).isEmpty();
    }

    @Test
    void noTokenPrivateKeyOrJwtEverReachesTheLogs() throws Exception {
        KeyPair keys = rsaKeys();
        github.registerApp(appId, keys.getPublic());
        github.installApp(appId, installationId, repo);
        Path pem = pkcs1Pem(keys);
        long hook = github.createHook(repo, "http://127.0.0.1:1/webhooks/github", "hook-secret");
        github.deliver(hook, "issues", WebhookExamples.first("issues", "opened").json());
        // the installation does not cover this one: GitHub answers 404, which is logged
        String elsewhere = "octo/not-installed-" + appId;
        github.createRepo(elsewhere);
        String pollToken = "repostream-poll-token-" + appId;
        github.addToken(pollToken, "poller");
        github.createIssue(repo, "polled", "body", "alice");
        List<String> lines;
        try (CapturedLogs logs = CapturedLogs.capture()) {
            try (IngestBridge bridge =
                    IngestBridge.start(config(pem, List.of(repo + "#" + hook, elsewhere + "#1")))) {
                bridge.pollNow();
                bridge.gapFill();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> github.hookDeliveries(hook).size() >= 2);
            }
            // and with a token, also failing: refused quota, unreachable API
            github.exhaustQuota(pollToken);
            try (IngestBridge withToken =
                    IngestBridge.start(
                            TestBridges.config(kafka, "app-test-secret")
                                    .withPoll(
                                            new PollConfig(
                                                    github.baseUrl(),
                                                    pollToken,
                                                    List.of(repo),
                                                    Duration.ofHours(1),
                                                    null,
                                                    List.of(repo + "#" + hook))))) {
                withToken.pollNow();
                withToken.gapFill();
            }
            lines = logs.lines();
        }

        List<String> secrets = new ArrayList<>(github.issuedInstallationTokens());
        assertThat(secrets).as("the run used installation tokens").isNotEmpty();
        secrets.add(pollToken);
        secrets.add("hook-secret");
        // every line of the PEM's body, and the JWT's fixed header
        Files.readAllLines(pem).stream()
                .filter(l -> !l.startsWith("-----") && l.length() > 20)
                .forEach(secrets::add);
        secrets.add(
                Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("{\"alg\":\"RS256\"".getBytes(StandardCharsets.UTF_8))
                        .substring(0, 16));
        String all = String.join("\n", lines);
        assertThat(lines).as("the run logged").isNotEmpty();
        assertThat(all).contains("gap fill").contains(repo);
        for (String secret : secrets) {
            assertThat(all).as("a secret in the logs").doesNotContain(secret);
        }
    }
}

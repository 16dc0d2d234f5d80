package io.repostream.console.web;

import static io.repostream.console.support.Records.T0;
import static io.repostream.console.support.Records.addLabels;
import static io.repostream.console.support.Records.audit;
import static io.repostream.console.support.Records.issue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.console.Console;
import io.repostream.console.ConsoleConfig;
import io.repostream.console.support.Browser;
import io.repostream.console.support.TestPostgres;
import io.repostream.console.support.TopicWriter;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditOutcome;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.repostream.testkit.postgres.LocalPostgres;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Sign-in with GitHub through the simulator's OAuth web flow, in headless Chromium: the role comes
 * from the person's permission on the repository, a viewer sees but cannot undo, somebody without a
 * role is refused, nobody gets in signed out, and no secret reaches the log.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SignInTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REPO = "acme/signin";
    private static final String CLIENT_ID = "Iv1.console-test";
    private static final String CLIENT_SECRET = "oauth-secret-" + UUID.randomUUID();
    private static final String ADMIN_TOKEN = "admin-token-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final StringWriter LOGS = new StringWriter();

    private static GitHubSimulator github;
    private static TopicWriter topics;
    private static Console console;
    private static ChromeDriver browser;
    private static ActionRecord action;
    private static String publicUrl;

    @BeforeAll
    static void start(EmbeddedKafkaBroker kafka, GitHubSimulator simulator) throws IOException {
        captureLogs();
        github = simulator;
        github.createRepo(REPO);
        github.addCollaborator(REPO, "vera", "triage");
        github.addCollaborator(REPO, "olivia", "write");
        github.addCollaborator(REPO, "adam", "admin");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        publicUrl = "http://127.0.0.1:" + port;
        github.registerOAuthApp(CLIENT_ID, CLIENT_SECRET, publicUrl + "/oauth/callback");
        topics = new TopicWriter(kafka);
        LocalPostgres pg = TestPostgres.shared();
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        console =
                Console.start(
                        new ConsoleConfig(
                                        kafka.bootstrapServers(),
                                        Map.of(),
                                        pg.newDatabase("signin"),
                                        pg.user(),
                                        "",
                                        "127.0.0.1",
                                        port,
                                        github.baseUrl())
                                // nothing answers there: these tests stop before any undo
                                .withExecutorAdmin("http://127.0.0.1:" + deadPort, ADMIN_TOKEN)
                                .withSignIn(
                                        new GitHubSignIn.Settings(
                                                CLIENT_ID,
                                                CLIENT_SECRET,
                                                github.baseUrl(),
                                                github.baseUrl(),
                                                publicUrl,
                                                REPO,
                                                ""),
                                        Duration.ofMinutes(30)));
        await().atMost(WAIT).until(() -> console.indexer().assigned());
        action = addLabels("triage:" + REPO + "#3", REPO, 3, List.of("bug"));
        topics.send(action);
        topics.send(
                audit(
                        action,
                        "applied",
                        AuditOutcome.APPLIED,
                        issue("open", List.of()),
                        issue("open", List.of("bug")),
                        200,
                        null,
                        T0.plusSeconds(2)));
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        console.close();
        topics.close();
    }

    @Test
    void rolesComeFromThePermissionOnTheRepoAndAViewerSeesButCannotUndo() throws Exception {
        signInAs("vera");
        assertThat(browser.findElement(By.id("who")).getText()).contains("vera");
        assertThat(browser.findElement(By.id("role")).getText()).isEqualTo("viewer");
        assertThat(browser.findElements(By.id("local-mode"))).isEmpty();

        browser.get(publicUrl + "/action?id=" + encode(action.actionId()));
        await().atMost(WAIT).until(() -> !browser.findElements(By.id("undo-section")).isEmpty());
        assertThat(browser.findElement(By.id("undo-not-allowed")).getText()).contains("viewer");
        assertThat(browser.findElements(By.id("undo-preview"))).isEmpty();
        Browser.screenshot(browser, "signin-viewer");
        // the viewer's own session, with its CSRF token, still may not undo
        Object status =
                browser.executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token'];"
                                + "fetch('/action/undo', {method: 'POST', headers: {'X-CSRF-Token': token,"
                                + " 'Content-Type': 'application/x-www-form-urlencoded'},"
                                + " body: 'id=' + encodeURIComponent(arguments[0])}).then(r => done(r.status));",
                        action.actionId());
        assertThat(status).isEqualTo(403L);
        assertThat(console.metrics().refusedCount("role")).isGreaterThanOrEqualTo(1);

        signInAs("olivia");
        assertThat(browser.findElement(By.id("role")).getText()).isEqualTo("operator");
        // an operator may undo but not switch the executors' kill switch
        Object killSwitch =
                browser.executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token'];"
                                + "fetch('/kill-switch', {method: 'POST', headers: {'X-CSRF-Token': token,"
                                + " 'Content-Type': 'application/x-www-form-urlencoded'},"
                                + " body: 'on=true'}).then(r => done(r.status));");
        assertThat(killSwitch).isEqualTo(403L);
        browser.get(publicUrl + "/action?id=" + encode(action.actionId()));
        await().atMost(WAIT).until(() -> !browser.findElements(By.id("undo-preview")).isEmpty());

        signInAs("adam");
        assertThat(browser.findElement(By.id("role")).getText()).isEqualTo("admin");
    }

    @Test
    void somebodyWithoutARoleOnTheRepoIsRefused() {
        signOut();
        github.signInOnWeb("mallory");
        browser.get(publicUrl + "/actions");
        await().atMost(WAIT)
                .until(
                        () ->
                                browser.getPageSource()
                                        .contains("mallory has no permission on " + REPO));
        browser.get(publicUrl + "/actions");
        // still signed out: sent to GitHub again, refused again
        await().atMost(WAIT)
                .until(() -> browser.getPageSource().contains("mallory has no permission"));
    }

    @Test
    void nothingIsAnsweredSignedOutAndASignInThatThisBrowserDidNotStartIsRefused()
            throws Exception {
        HttpResponse<String> api = get("/api/actions");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(get("/actions/rows").statusCode()).isEqualTo(401);
        HttpResponse<String> page =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(publicUrl + "/actions"))
                                .header("Accept", "text/html,application/xhtml+xml")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValue("/login");
        HttpResponse<String> login = get("/login");
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow())
                .startsWith(github.baseUrl() + "/login/oauth/authorize?client_id=" + CLIENT_ID)
                .contains("state=", "redirect_uri=" + encode(publicUrl + "/oauth/callback"));
        // a callback with a code but a state this browser never got: login CSRF
        HttpResponse<String> forged = get("/oauth/callback?code=abc&state=forged");
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void neitherTheClientSecretNorTheAdminTokenNorAnyUserTokenIsLogged() {
        signInAs("olivia");
        assertThat(github.oauthTokensIssued()).isPositive();
        String logged = LOGS.toString();
        assertThat(logged).contains("olivia signed in as operator");
        assertThat(logged)
                .doesNotContain(CLIENT_SECRET)
                .doesNotContain(ADMIN_TOKEN)
                .doesNotContain("gho_");
    }

    private static void signInAs(String login) {
        signOut();
        github.signInOnWeb(login);
        browser.get(publicUrl + "/actions");
        await().atMost(WAIT)
                .until(
                        () ->
                                !browser.findElements(By.id("who")).isEmpty()
                                        && browser.findElement(By.id("who"))
                                                .getText()
                                                .contains(login));
    }

    private static void signOut() {
        browser.get(publicUrl + "/healthz");
        browser.manage().deleteAllCookies();
    }

    private static void captureLogs() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        WriterAppender appender =
                WriterAppender.newBuilder()
                        .setName("sign-in-test")
                        .setTarget(LOGS)
                        .setLayout(PatternLayout.newBuilder().withPattern("%c{1} %m%n").build())
                        .build();
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, Level.ALL, null);
        context.updateLoggers();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(publicUrl + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

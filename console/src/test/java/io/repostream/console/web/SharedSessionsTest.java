package io.repostream.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.console.Console;
import io.repostream.console.ConsoleConfig;
import io.repostream.console.Database;
import io.repostream.console.support.Browser;
import io.repostream.console.support.IndexDb;
import io.repostream.console.support.TestPostgres;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.repostream.testkit.postgres.LocalPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Sessions live in PostgreSQL: signed in on one replica, the same cookie works on another replica
 * of the same database and after both restart; signing out deletes the session everywhere.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SharedSessionsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REPO = "acme/sessions";
    private static final String CLIENT_ID = "Iv1.console-sessions";
    private static final String CLIENT_SECRET = "oauth-secret-" + UUID.randomUUID();
    private static final String COOKIE = "repostream_console_session";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static GitHubSimulator github;
    private static EmbeddedKafkaBroker kafka;
    private static LocalPostgres pg;
    private static String databaseUrl;
    private static int portA;
    private static ChromeDriver browser;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) throws IOException {
        kafka = broker;
        github = simulator;
        github.createRepo(REPO);
        github.addCollaborator(REPO, "olivia", "write");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            portA = s.getLocalPort();
        }
        github.registerOAuthApp(
                CLIENT_ID, CLIENT_SECRET, "http://127.0.0.1:" + portA + "/oauth/callback");
        pg = TestPostgres.shared();
        databaseUrl = pg.newDatabase("sessions");
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aSessionStartedOnOneReplicaWorksOnAnotherAndAfterARestartUntilSignOut() throws Exception {
        String cookie;
        try (Console a = console(portA);
                Console b = console(0)) {
            github.signInOnWeb("olivia");
            browser.get("http://127.0.0.1:" + portA + "/actions");
            await().atMost(WAIT)
                    .until(
                            () ->
                                    !browser.findElements(By.id("who")).isEmpty()
                                            && browser.findElement(By.id("who"))
                                                    .getText()
                                                    .contains("olivia"));
            cookie = browser.manage().getCookieNamed(COOKIE).getValue();

            HttpResponse<String> onB = page(b.port(), cookie);
            assertThat(onB.statusCode()).isEqualTo(200);
            assertThat(onB.body()).contains("olivia", "operator");
        }
        try (Database database = Database.open(databaseUrl, pg.user(), "")) {
            IndexDb db = new IndexDb(database.dataSource());
            assertThat(db.rows("console_sessions", "id_sha256"))
                    .singleElement()
                    .satisfies(
                            row ->
                                    assertThat(row)
                                            .contains("olivia")
                                            // only the id's digest is stored
                                            .doesNotContain(cookie));

            try (Console restarted = console(portA)) {
                HttpResponse<String> again = page(restarted.port(), cookie);
                assertThat(again.statusCode()).isEqualTo(200);
                assertThat(again.body()).contains("olivia");

                browser.get("http://127.0.0.1:" + portA + "/actions");
                browser.findElement(By.cssSelector("form.logout button")).click();
                // signing out deletes the session's row (the sign-in page then starts a new one)
                String digest =
                        HexFormat.of()
                                .formatHex(
                                        MessageDigest.getInstance("SHA-256")
                                                .digest(cookie.getBytes(StandardCharsets.UTF_8)));
                await().atMost(WAIT)
                        .until(
                                () ->
                                        db.rows("console_sessions", "id_sha256").stream()
                                                .noneMatch(row -> row.contains(digest)));
                HttpResponse<String> signedOut = page(restarted.port(), cookie);
                assertThat(signedOut.statusCode()).isEqualTo(302);
                assertThat(signedOut.headers().firstValue("Location")).hasValue("/login");
            }
        }
    }

    private static Console console(int port) {
        Console console =
                Console.start(
                        new ConsoleConfig(
                                        kafka.bootstrapServers(),
                                        Map.of(),
                                        databaseUrl,
                                        pg.user(),
                                        "",
                                        "127.0.0.1",
                                        port,
                                        github.baseUrl())
                                .withSignIn(
                                        new GitHubSignIn.Settings(
                                                CLIENT_ID,
                                                CLIENT_SECRET,
                                                github.baseUrl(),
                                                github.baseUrl(),
                                                "http://127.0.0.1:" + portA,
                                                REPO,
                                                ""),
                                        Duration.ofMinutes(30)));
        return console;
    }

    private static HttpResponse<String> page(int port, String cookie) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actions"))
                        .header("Accept", "text/html")
                        .header("Cookie", COOKIE + "=" + cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

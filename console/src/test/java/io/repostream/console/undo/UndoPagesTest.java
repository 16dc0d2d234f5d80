package io.repostream.console.undo;

import static io.repostream.console.support.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.console.Console;
import io.repostream.console.ConsoleConfig;
import io.repostream.console.Database;
import io.repostream.console.support.Browser;
import io.repostream.console.support.IndexDb;
import io.repostream.console.support.TestPostgres;
import io.repostream.console.support.TopicWriter;
import io.repostream.console.web.Person;
import io.repostream.executor.ActionExecutor;
import io.repostream.executor.ExecutorConfig;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.repostream.testkit.postgres.LocalPostgres;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Undo from the browser, through a real executor (its admin API over HTTP) applying to the GitHub
 * simulator, over a real broker and PostgreSQL: the preview, the confirmation, the result live on
 * the page, the conflict left alone, and who asked for it.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class UndoPagesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ADMIN_TOKEN = "console-undo-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static GitHubSimulator github;
    private static TopicWriter topics;
    private static ActionExecutor executor;
    private static Console console;
    private static IndexDb db;
    private static Database database;
    private static ChromeDriver browser;

    @BeforeAll
    static void start(EmbeddedKafkaBroker kafka, GitHubSimulator simulator) {
        github = simulator;
        github.createRepo("acme/undo");
        github.createRepo("acme/bulk");
        topics = new TopicWriter(kafka);
        executor =
                ActionExecutor.start(
                        ExecutorConfig.defaults(
                                        kafka.bootstrapServers(),
                                        github.baseUrl(),
                                        GitHubSimulator.DEFAULT_TOKEN)
                                .withGroupId("console-undo-" + UUID.randomUUID())
                                .withoutPacing()
                                .withAdmin(0, ADMIN_TOKEN));
        LocalPostgres pg = TestPostgres.shared();
        String url = pg.newDatabase("undo");
        console =
                Console.start(
                        new ConsoleConfig(
                                        kafka.bootstrapServers(),
                                        Map.of(),
                                        url,
                                        pg.user(),
                                        "",
                                        "127.0.0.1",
                                        0,
                                        "https://github.com")
                                .withExecutorAdmin(
                                        "http://127.0.0.1:" + executor.adminPort(), ADMIN_TOKEN));
        database = Database.open(url, pg.user(), "");
        db = new IndexDb(database.dataSource());
        await().atMost(WAIT).until(() -> console.indexer().assigned());
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        console.close();
        executor.close();
        topics.close();
        database.close();
    }

    @Test
    void previewsTheUndoThenUndoesThroughTheExecutorAndShowsTheRolledBackAuditLive() {
        int issue = github.createIssue("acme/undo", "Crash on start", "", "octocat");
        ActionRecord action = addLabels("triage-label@1", "acme/undo", issue, "bug");
        topics.send(action);
        await().atMost(WAIT).until(() -> github.labels("acme/undo", issue).contains("bug"));
        awaitOutcome(action, "applied");

        browser.get(url("/action?id=" + encode(action.actionId())));
        browser.executeScript("window.notReloaded = true;");
        browser.findElement(By.id("undo-preview")).click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.id("undo-plan")).isEmpty());
        WebElement plan = browser.findElement(By.id("undo-plan"));
        assertThat(plan.getAttribute("data-status")).isEqualTo("PREVIEW");
        assertThat(plan.getText()).contains("will restore", "remove labels [bug] from acme/undo#");
        // the preview changed nothing
        assertThat(github.labels("acme/undo", issue)).contains("bug");
        Browser.screenshot(browser, "undo-preview");

        browser.findElement(By.id("undo-confirm")).click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.id("undo-result")).isEmpty());
        assertThat(browser.findElement(By.id("undo-result")).getAttribute("data-status"))
                .isEqualTo("ROLLED_BACK");
        assertThat(github.labels("acme/undo", issue)).doesNotContain("bug");
        // the executor's rolled_back audit reaches the open page through Kafka and the index
        await().atMost(WAIT)
                .until(
                        () ->
                                !browser.findElements(
                                                By.cssSelector(
                                                        "#audit-rows tr[data-outcome='rolled_back']"))
                                        .isEmpty());
        assertThat(browser.executeScript("return window.notReloaded === true;")).isEqualTo(true);
        // who asked travelled with the rollback: console -> admin API -> audit on Kafka -> index
        assertThat(
                        browser.findElement(
                                        By.cssSelector(
                                                "#audit-rows tr[data-outcome='rolled_back']"
                                                        + " td.requested-by"))
                                .getText())
                .isEqualTo(Person.LOCAL_LOGIN + " (console)");
        assertThat(db.audits(action.actionId()))
                .anySatisfy(
                        a ->
                                assertThat(a)
                                        .contains(
                                                "\"outcome\": \"rolled_back\"",
                                                "\"requested_by\": \""
                                                        + Person.LOCAL_LOGIN
                                                        + " (console)\""));
        Browser.screenshot(browser, "undo-done");

        assertThat(db.rows("console_audit", "id"))
                .anySatisfy(
                        row ->
                                assertThat(row)
                                        .contains(
                                                "person=" + Person.LOCAL_LOGIN,
                                                "what=undo",
                                                "action_id=" + action.actionId(),
                                                "outcome=ROLLED_BACK"));
        assertThat(console.metrics().undoCount("one", "ROLLED_BACK")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aBulkUndoOfARulePreviewsTheConflictThenRestoresTheRestAndLeavesTheConflictAlone() {
        int kept = github.createIssue("acme/bulk", "First", "", "octocat");
        int changed = github.createIssue("acme/bulk", "Second", "", "octocat");
        ActionRecord first = addLabels("bulk-rule@1", "acme/bulk", kept, "stale");
        ActionRecord second = addLabels("bulk-rule@1", "acme/bulk", changed, "stale");
        topics.send(first);
        topics.send(second);
        await().atMost(WAIT)
                .until(
                        () ->
                                github.labels("acme/bulk", kept).contains("stale")
                                        && github.labels("acme/bulk", changed).contains("stale"));
        awaitOutcome(first, "applied");
        awaitOutcome(second, "applied");
        // a person took the label off the second issue since: undo must leave that alone
        github.removeLabelAsHuman("acme/bulk", changed, "stale", "maintainer");

        browser.get(url("/undo"));
        browser.findElement(By.name("produced_by")).sendKeys("bulk-rule@1");
        browser.findElement(By.name("repo")).sendKeys("acme/bulk");
        browser.findElement(By.id("bulk-preview")).click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.id("bulk-results")).isEmpty());
        assertThat(status(first)).isEqualTo("PREVIEW");
        assertThat(status(second)).isEqualTo("CONFLICT");
        assertThat(row(second).getText()).contains("were removed", "since");
        Browser.screenshot(browser, "undo-bulk-preview");

        browser.findElement(By.id("bulk-confirm")).click();
        await().atMost(WAIT)
                .until(
                        () ->
                                browser.findElement(By.id("bulk-heading"))
                                        .getText()
                                        .startsWith("Undone"));
        assertThat(status(first)).isEqualTo("ROLLED_BACK");
        assertThat(status(second)).isEqualTo("CONFLICT");
        assertThat(github.labels("acme/bulk", kept)).doesNotContain("stale");
        assertThat(github.labels("acme/bulk", changed)).doesNotContain("stale");
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(db.audits(second.actionId()))
                                        .anySatisfy(
                                                a ->
                                                        assertThat(a)
                                                                .contains(
                                                                        "\"outcome\": \"rollback_conflict\"",
                                                                        "\"requested_by\": \""
                                                                                + Person.LOCAL_LOGIN
                                                                                + " (console)\"")));
        Browser.screenshot(browser, "undo-bulk-done");
        assertThat(db.rows("console_audit", "id"))
                .anySatisfy(
                        row ->
                                assertThat(row)
                                        .contains(
                                                "what=undo_rule",
                                                "action_id=" + second.actionId(),
                                                "outcome=CONFLICT"));
    }

    @Test
    void refusesAnUndoThatDoesNotCarryThePagesCsrfTokenAndSendsNothing() throws Exception {
        int issue = github.createIssue("acme/undo", "Forged", "", "octocat");
        ActionRecord action = addLabels("triage-label@1", "acme/undo", issue, "forged");
        topics.send(action);
        awaitOutcome(action, "applied");

        HttpResponse<String> forged =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url("/action/undo")))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "id=" + encode(action.actionId())))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("CSRF");
        assertThat(github.labels("acme/undo", issue)).contains("forged");
        assertThat(console.metrics().refusedCount("csrf")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anAdminSwitchesEveryExecutorsKillSwitchFromTheSystemPageNamedAndAudited() {
        browser.get(url("/system"));
        assertThat(browser.findElement(By.id("kill-switch-state")).getText()).startsWith("off");
        try {
            browser.findElement(By.name("reason")).sendKeys("bad rule release");
            browser.findElement(By.id("kill-switch-toggle")).click();
            await().atMost(WAIT).until(executor::killSwitch);
            await().atMost(WAIT)
                    .until(
                            () ->
                                    browser.findElement(By.id("kill-switch-state"))
                                            .getText()
                                            .startsWith("on"));
            assertThat(browser.findElement(By.id("kill-switch-by")).getText())
                    .contains(Person.LOCAL_LOGIN + " (console)");
            Browser.screenshot(browser, "system-kill-switch-on");
            assertThat(db.rows("console_audit", "id"))
                    .anySatisfy(
                            row ->
                                    assertThat(row)
                                            .contains(
                                                    "what=kill_switch",
                                                    "outcome=on",
                                                    "detail=bad rule release"));

            browser.findElement(By.id("kill-switch-toggle")).click();
            await().atMost(WAIT).until(() -> !executor.killSwitch());
        } finally {
            if (executor.killSwitch()) {
                executor.killSwitch(false, "test cleanup", "UndoPagesTest");
            }
        }
    }

    @Test
    void theActionPagesAnswerAMissingIdWith400AndAnUnknownOneWith404() throws Exception {
        for (String path : List.of("/action", "/api/action", "/action/audit")) {
            HttpResponse<String> noId = get(path);
            assertThat(noId.statusCode()).as(path).isEqualTo(400);
            assertThat(noId.body()).isEqualTo("give the action's id: " + path + "?id=...");
            HttpResponse<String> unknown = get(path + "?id=nope");
            assertThat(unknown.statusCode()).as(path).isEqualTo(404);
            assertThat(unknown.body()).isEqualTo("no action nope is indexed");
        }
    }

    @Test
    void anAdminCreatesATokenOnThePageAndAScriptPreviewsAndUndoesWithIt() throws Exception {
        int issue = github.createIssue("acme/undo", "Scripted", "", "octocat");
        ActionRecord action = addLabels("api-label@1", "acme/undo", issue, "scripted");
        int ruleIssue = github.createIssue("acme/undo", "Scripted rule", "", "octocat");
        ActionRecord ofRule = addLabels("api-rule@1", "acme/undo", ruleIssue, "by-rule");
        topics.send(action);
        topics.send(ofRule);
        awaitOutcome(action, "applied");
        awaitOutcome(ofRule, "applied");
        String token = createToken("nightly script", "operator");
        assertThat(db.rows("api_tokens", "id")).noneMatch(row -> row.contains(token));

        HttpResponse<String> preview =
                api(
                        token,
                        "/api/v1/actions/" + pathEncode(action.actionId()) + "/undo?dry_run=true");
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("\"status\":\"PREVIEW\"", "\"dry_run\":true");
        assertThat(github.labels("acme/undo", issue)).contains("scripted");

        HttpResponse<String> undo =
                api(token, "/api/v1/actions/" + pathEncode(action.actionId()) + "/undo");
        assertThat(undo.statusCode()).isEqualTo(200);
        assertThat(undo.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(undo.body()).contains("\"status\":\"ROLLED_BACK\"");
        assertThat(github.labels("acme/undo", issue)).doesNotContain("scripted");
        HttpResponse<String> again =
                api(token, "/api/v1/actions/" + pathEncode(action.actionId()) + "/undo");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("ALREADY_ROLLED_BACK");
        assertThat(api(token, "/api/v1/actions/nope/undo").statusCode()).isEqualTo(404);

        HttpResponse<String> rulePreview =
                api(token, "/api/v1/rules/api-rule@1/undo?repo=acme/undo&dry_run=true");
        assertThat(rulePreview.statusCode()).isEqualTo(200);
        assertThat(rulePreview.body()).contains("\"counts\":{\"preview\":1}");
        assertThat(github.labels("acme/undo", ruleIssue)).contains("by-rule");
        HttpResponse<String> rule = api(token, "/api/v1/rules/api-rule@1/undo?repo=acme/undo");
        assertThat(rule.statusCode()).isEqualTo(200);
        assertThat(rule.body()).contains("\"counts\":{\"rolled_back\":1}");
        assertThat(github.labels("acme/undo", ruleIssue)).doesNotContain("by-rule");
        assertThat(api(token, "/api/v1/rules/no-such-rule@1/undo").statusCode()).isEqualTo(404);
        assertThat(api(token, "/api/v1/rules/api-rule@1/undo?from=yesterday").statusCode())
                .isEqualTo(400);

        // recorded under the token's owner, and named in the executor's audit
        assertThat(db.rows("console_audit", "id"))
                .anySatisfy(
                        row ->
                                assertThat(row)
                                        .contains(
                                                "person=" + Person.LOCAL_LOGIN,
                                                "what=undo ",
                                                "action_id=" + action.actionId(),
                                                "outcome=ROLLED_BACK",
                                                "(API token 'nightly script')"))
                .anySatisfy(
                        row ->
                                assertThat(row)
                                        .contains(
                                                "what=undo_rule",
                                                "action_id=" + ofRule.actionId(),
                                                "(API token 'nightly script')"));
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(db.audits(action.actionId()))
                                        .anySatisfy(
                                                a ->
                                                        assertThat(a)
                                                                .contains(
                                                                        "\"requested_by\": \""
                                                                                + Person.LOCAL_LOGIN
                                                                                + " (API token"
                                                                                + " nightly"
                                                                                + " script)\"")));
        browser.get(url("/tokens"));
        assertThat(
                        browser.findElement(
                                        By.cssSelector(
                                                "#tokens tr[data-state='active'] .last-used"))
                                .getText())
                .isNotEqualTo("never");
    }

    @Test
    void theScriptApiRefusesNoTokenABadOneAViewersARevokedOneAndAnExpiredOne() throws Exception {
        HttpResponse<String> none =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url("/api/v1/actions/x/undo")))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(none.body()).contains("\"error\"", "Authorization: Bearer");
        assertThat(api("rsc_not-a-token", "/api/v1/actions/x/undo").statusCode()).isEqualTo(401);

        String viewer = createToken("read only", "viewer");
        HttpResponse<String> refused = api(viewer, "/api/v1/actions/x/undo");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("viewer", "undo takes operator");

        String revoked = createToken("to revoke", "operator");
        assertThat(api(revoked, "/api/v1/actions/x/undo").statusCode()).isEqualTo(404);
        browser.get(url("/tokens"));
        String id =
                db.rows("api_tokens", "id").stream()
                        .filter(r -> r.contains("name=to revoke "))
                        .map(r -> r.substring(3, r.indexOf(' ')))
                        .findFirst()
                        .orElseThrow();
        browser.findElement(By.cssSelector("#tokens tr[data-token-id='" + id + "'] button.revoke"))
                .click();
        await().atMost(WAIT)
                .until(
                        () ->
                                !browser.findElements(
                                                By.cssSelector(
                                                        "#tokens tr[data-token-id='"
                                                                + id
                                                                + "'][data-state='revoked']"))
                                        .isEmpty());
        assertThat(api(revoked, "/api/v1/actions/x/undo").statusCode()).isEqualTo(401);

        String expired = createToken("expired", "operator");
        db.execute(
                "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE name = 'expired'");
        HttpResponse<String> late = api(expired, "/api/v1/actions/x/undo");
        assertThat(late.statusCode()).isEqualTo(401);
        assertThat(late.body()).contains("unknown, revoked or expired");
        assertThat(console.metrics().refusedCount("token")).isGreaterThanOrEqualTo(4);
    }

    /** Creates a token on the Tokens page as the admin and reads its secret off the page. */
    private static String createToken(String name, String role) {
        browser.get(url("/tokens"));
        browser.findElement(By.name("name")).sendKeys(name);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("role")))
                .selectByValue(role);
        browser.findElement(By.id("token-create")).click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.id("token-secret")).isEmpty());
        Browser.screenshot(browser, "tokens-created");
        return browser.findElement(By.id("token-secret")).getText().strip();
    }

    private static HttpResponse<String> api(String token, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url(path)))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String pathEncode(String s) {
        return encode(s).replace("+", "%20");
    }

    private static String status(ActionRecord action) {
        return row(action).getAttribute("data-status");
    }

    private static WebElement row(ActionRecord action) {
        return browser.findElement(
                By.cssSelector("#bulk-results tr[data-action-id='" + action.actionId() + "']"));
    }

    private static void awaitOutcome(ActionRecord action, String outcome) {
        await().atMost(WAIT)
                .until(() -> outcome.equals(db.summaryColumn(action.actionId(), "outcome")));
    }

    private static ActionRecord addLabels(String rule, String repo, long issue, String label) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.putArray("labels").add(label);
        return new ActionRecord(
                rule + ":" + repo + "#" + issue + ":" + UUID.randomUUID(),
                repo,
                issue,
                ActionType.ADD_LABELS,
                params,
                "test",
                List.of(),
                1.0,
                rule,
                List.of(),
                null,
                T0,
                null,
                null,
                false);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + console.port() + path;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url(path))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

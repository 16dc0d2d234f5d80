package io.repostream.console.web;

import static io.repostream.console.support.Records.T0;
import static io.repostream.console.support.Records.addLabels;
import static io.repostream.console.support.Records.audit;
import static io.repostream.console.support.Records.issue;
import static io.repostream.console.support.Records.issueOpened;
import static io.repostream.console.support.Records.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.console.Console;
import io.repostream.console.ConsoleConfig;
import io.repostream.console.support.Browser;
import io.repostream.console.support.TestPostgres;
import io.repostream.console.support.TopicWriter;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.json.Json;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.repostream.testkit.postgres.LocalPostgres;
import java.io.IOException;
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
 * The console as a person sees it, in headless Chromium, over a real broker and a real PostgreSQL;
 * and the JSON API behind the pages.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ActionsPagesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TopicWriter topics;
    private static Console console;
    private static ChromeDriver browser;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start(EmbeddedKafkaBroker kafka) {
        topics = new TopicWriter(kafka);
        LocalPostgres pg = TestPostgres.shared();
        console =
                Console.start(
                        new ConsoleConfig(
                                kafka.bootstrapServers(),
                                Map.of(),
                                pg.newDatabase("pages"),
                                pg.user(),
                                "",
                                "127.0.0.1",
                                0,
                                "https://github.com"));
        await().atMost(WAIT).until(() -> console.indexer().assigned());
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

    private static String url(String path) {
        return "http://127.0.0.1:" + console.port() + path;
    }

    @Test
    void anActionWrittenToKafkaAppearsOnTheOpenActionsPageWithoutAReload() {
        double streamsBefore = console.metrics().streamsOpenedCount();
        browser.get(url("/actions"));
        // the page's event stream is open: from now on no change can slip past it
        await().atMost(WAIT).until(() -> console.metrics().streamsOpenedCount() > streamsBefore);
        browser.executeScript("window.notReloaded = true;");

        ActionRecord action =
                addLabels("triage:acme/live#7", "acme/live", 7, List.of("needs-triage"));
        topics.send(action);
        topics.send(
                audit(
                        action,
                        "applied",
                        AuditOutcome.APPLIED,
                        issue("open", List.of()),
                        issue("open", List.of("needs-triage")),
                        200,
                        null,
                        T0.plusSeconds(2)));

        By row = By.cssSelector("tr[data-action-id='" + action.actionId() + "']");
        await().atMost(WAIT).until(() -> !browser.findElements(row).isEmpty());
        await().atMost(WAIT).until(() -> browser.findElement(row).getText().contains("applied"));
        WebElement found = browser.findElement(row);
        assertThat(found.getText()).contains("acme/live#7", "add_labels", "triage-label@1");
        assertThat(browser.executeScript("return window.notReloaded === true;")).isEqualTo(true);
        Browser.screenshot(browser, "actions-live");
    }

    @Test
    void theOneActionPageShowsTheSnapshotBeforeAgainstTheStateAfter() {
        ActionRecord action =
                addLabels("triage:acme/widgets#12", "acme/widgets", 12, List.of("bug"));
        topics.send(
                issueOpened(
                        action.causedBy().get(0), "acme/widgets", 12, "Crash on start", "octocat"));
        topics.send(action);
        topics.send(snapshot(action, issue("open", List.of("needs-triage"))));
        topics.send(
                audit(
                        action,
                        "applied",
                        AuditOutcome.APPLIED,
                        issue("open", List.of("needs-triage")),
                        issue("open", List.of("bug", "needs-triage")),
                        200,
                        null,
                        T0.plusSeconds(2)));
        await().atMost(WAIT)
                .until(
                        () ->
                                get("/api/action?id=" + encode(action.actionId())).statusCode()
                                        == 200);

        browser.get(url("/actions?repo=acme/widgets"));
        browser.findElement(By.cssSelector("tr[data-action-id='" + action.actionId() + "'] a.item"))
                .click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.id("diff")).isEmpty());

        WebElement labels = browser.findElement(By.cssSelector("#diff tr[data-field='labels']"));
        assertThat(labels.findElement(By.className("before")).getText()).isEqualTo("needs-triage");
        assertThat(labels.findElement(By.className("after")).getText())
                .isEqualTo("bug, needs-triage");
        assertThat(labels.findElement(By.className("change")).getText()).isEqualTo("+ bug");
        assertThat(labels.getAttribute("class")).isEqualTo("changed");
        WebElement state = browser.findElement(By.cssSelector("#diff tr[data-field='state']"));
        assertThat(state.getAttribute("class")).isEqualTo("same");
        assertThat(browser.findElement(By.id("audit")).getText())
                .contains("applied", "HTTP 200", "4987 of 5000 left (core)");
        assertThat(browser.findElement(By.id("rule")).getText()).isEqualTo("triage-label@1");
        assertThat(browser.findElement(By.id("causes")).getText())
                .contains("issues.opened on Crash on start by octocat", "(webhook)");
        assertThat(browser.findElement(By.id("reason")).getText())
                .isEqualTo("the title mentions a crash");
        assertThat(browser.findElement(By.cssSelector("a.github")).getAttribute("href"))
                .isEqualTo("https://github.com/acme/widgets/issues/12");
        Browser.screenshot(browser, "action-diff");
    }

    @Test
    void theApiFiltersByRepoRuleTypeOutcomeTimeAndText() throws Exception {
        ActionRecord dropped =
                addLabels("triage:acme/filters#1", "acme/filters", 1, List.of("bug"));
        topics.send(
                audit(
                        dropped,
                        "dropped",
                        AuditOutcome.DROPPED,
                        null,
                        null,
                        null,
                        "repo_budget_exhausted: 0 left",
                        T0.plusSeconds(10)));
        ActionRecord failed = addLabels("triage:acme/filters#2", "acme/filters", 2, List.of("bug"));
        topics.send(failed);
        topics.send(
                audit(
                        failed,
                        "failed",
                        AuditOutcome.FAILED,
                        issue("open", List.of()),
                        null,
                        422,
                        "Validation Failed",
                        T0.plusSeconds(20)));
        await().atMost(WAIT).until(() -> ids("/api/actions?repo=acme/filters").size() == 2);

        assertThat(ids("/api/actions?repo=acme/filters&outcome=dropped"))
                .containsExactly(dropped.actionId());
        assertThat(ids("/api/actions?repo=acme/filters&rule=triage-label&type=add_labels"))
                .containsExactly(failed.actionId(), dropped.actionId());
        assertThat(ids("/api/actions?repo=acme/filters&q=" + encode("acme/filters#2")))
                .containsExactly(failed.actionId());
        assertThat(ids("/api/actions?q=" + encode(" ACME/Filters#2 ")))
                .containsExactly(failed.actionId());
        assertThat(ids("/api/actions?q=" + encode("filters#2"))).containsExactly(failed.actionId());
        assertThat(ids("/api/actions?repo=acme/filters&q=budget"))
                .containsExactly(dropped.actionId());
        assertThat(
                        ids(
                                "/api/actions?repo=acme/filters&from="
                                        + T0.plusSeconds(15)
                                        + "&to="
                                        + T0.plusSeconds(25)))
                .containsExactly(failed.actionId());
        assertThat(ids("/api/actions?repo=acme/filters&rule=other-rule")).isEmpty();

        // the item's title, from the event behind the action, indexed after the action
        topics.send(
                issueOpened(
                        failed.causedBy().get(0), "acme/filters", 2, "Flaky login test", "bob"));
        await().atMost(WAIT)
                .until(() -> ids("/api/actions?q=" + encode("flaky LOGIN")).size() == 1);
        assertThat(ids("/api/actions?q=" + encode("flaky LOGIN")))
                .containsExactly(failed.actionId());

        HttpResponse<String> bad = get("/api/actions?from=yesterday");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("from must be an ISO-8601 instant");
        assertThat(get("/api/action?id=nope").statusCode()).isEqualTo(404);
    }

    @Test
    void theReposPageCountsEachReposActionsByLatestOutcomeWithItsLastEvent() {
        ActionRecord applied = addLabels("triage:acme/repos#1", "acme/repos", 1, List.of("bug"));
        ActionRecord failed = addLabels("triage:acme/repos#2", "acme/repos", 2, List.of("bug"));
        topics.send(issueOpened(applied.causedBy().get(0), "acme/repos", 1, "One", "bob"));
        topics.send(applied);
        topics.send(
                audit(
                        applied,
                        "applied",
                        AuditOutcome.APPLIED,
                        issue("open", List.of()),
                        issue("open", List.of("bug")),
                        200,
                        null,
                        T0.plusSeconds(3)));
        topics.send(failed);
        topics.send(
                audit(
                        failed,
                        "failed",
                        AuditOutcome.FAILED,
                        issue("open", List.of()),
                        null,
                        422,
                        "Validation Failed",
                        T0.plusSeconds(4)));
        By row = By.cssSelector("#repos tr[data-repo='acme/repos']");
        await().atMost(WAIT)
                .until(
                        () -> {
                            browser.get(url("/repos"));
                            return !browser.findElements(row).isEmpty()
                                    && browser.findElement(row)
                                            .findElement(By.className("actions-count"))
                                            .getText()
                                            .equals("2")
                                    && !browser.findElement(row)
                                            .findElement(By.className("last-event"))
                                            .getText()
                                            .equals("—");
                        });
        WebElement repo = browser.findElement(row);
        assertThat(repo.findElement(By.className("applied")).getText()).isEqualTo("1");
        assertThat(repo.findElement(By.className("failed")).getText()).isEqualTo("1");
        Browser.screenshot(browser, "repos");
    }

    @Test
    void theReposPageShowsEachPolicysSectionsOnShadowOrOffFromThePolicyTopic() {
        topics.send(
                RepoPolicy.builder("acme/policy")
                        .sla(
                                RepoPolicy.Sla.defaults().toBuilder()
                                        .mode(RepoPolicy.Mode.SHADOW)
                                        .build())
                        .ci(RepoPolicy.Ci.off())
                        .commands(RepoPolicy.Commands.on())
                        .build());
        topics.send(RepoPolicy.builder("acme/gone").build());
        By row = By.cssSelector("#policies tr[data-repo='acme/policy']");
        await().atMost(WAIT)
                .until(
                        () -> {
                            browser.get(url("/repos"));
                            return !browser.findElements(row).isEmpty();
                        });
        WebElement policy = browser.findElement(row);
        assertThat(mode(policy, "triage")).isEqualTo("on");
        assertThat(mode(policy, "sla")).isEqualTo("shadow");
        assertThat(mode(policy, "ci")).isEqualTo("off");
        assertThat(mode(policy, "commands")).isEqualTo("on");
        assertThat(policy.findElement(By.className("dry-run")).getText()).isEqualTo("no");
        Browser.screenshot(browser, "repos-policies");

        // a tombstone on the compacted topic removes the repository's policy
        topics.deletePolicy("acme/gone");
        await().atMost(WAIT)
                .until(
                        () -> {
                            browser.get(url("/repos"));
                            return browser.findElements(
                                            By.cssSelector("#policies tr[data-repo='acme/gone']"))
                                    .isEmpty();
                        });
    }

    @Test
    void theSystemPageShowsEachConsumerGroupsLagPerTopic() {
        String topic = "lag-test-" + UUID.randomUUID();
        topics.createTopic(topic);
        topics.sendRaw(topic, 5);
        topics.commit("lag-test-group", topic, 2);

        By row = By.cssSelector("#lag tr[data-group='lag-test-group'][data-topic='" + topic + "']");
        await().atMost(WAIT)
                .until(
                        () -> {
                            browser.get(url("/system"));
                            return !browser.findElements(row).isEmpty();
                        });
        assertThat(browser.findElement(row).findElement(By.className("lag")).getText())
                .isEqualTo("3");
        Browser.screenshot(browser, "system-lag");

        topics.commit("lag-test-group", topic, 5);
        browser.get(url("/system"));
        assertThat(browser.findElement(row).findElement(By.className("lag")).getText())
                .isEqualTo("0");
    }

    private static String mode(WebElement row, String section) {
        return row.findElement(By.cssSelector("td[data-section='" + section + "']")).getText();
    }

    @Test
    void theOpenApiDocumentDescribesEveryFilterAndEveryFieldTheApiAnswers() throws Exception {
        ActionRecord action = addLabels("triage:acme/openapi#1", "acme/openapi", 1, List.of("x"));
        topics.send(action);
        topics.send(
                audit(
                        action,
                        "failed",
                        AuditOutcome.FAILED,
                        issue("open", List.of()),
                        null,
                        422,
                        "Validation Failed",
                        T0.plusSeconds(5)));
        String detailPath = "/api/action?id=" + encode(action.actionId());
        await().atMost(WAIT).until(() -> get(detailPath).statusCode() == 200);

        HttpResponse<String> doc = get("/api/openapi.yaml");
        assertThat(doc.statusCode()).isEqualTo(200);
        JsonNode api = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(doc.body());
        assertThat(
                        api.path("paths")
                                .path("/api/actions")
                                .path("get")
                                .path("parameters")
                                .findValuesAsText("name"))
                .containsExactlyInAnyOrder(
                        "repo", "rule", "type", "outcome", "from", "to", "q", "limit");
        JsonNode schemas = api.path("components").path("schemas");
        JsonNode row =
                Json.mapper()
                        .readTree(get("/api/actions?repo=acme/openapi").body())
                        .path("actions")
                        .get(0);
        assertThat(fieldNames(schemas.path("ActionRow").path("properties")))
                .containsAll(fieldNames(row));
        JsonNode detail = Json.mapper().readTree(get(detailPath).body());
        assertThat(fieldNames(schemas.path("ActionDetail").path("properties")))
                .containsAll(fieldNames(detail));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> ids(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.body());
        return body.path("actions").findValuesAsText("action_id");
    }

    private static HttpResponse<String> get(String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(url(path))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

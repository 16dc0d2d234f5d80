package io.repostream.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.json.Json;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The deliveries the demo replays: real example payloads from {@code @octokit/webhooks-examples},
 * unchanged, and one derived from the real {@code issues.opened} example with its labels cleared
 * (every published example already carries a label, so none of them triggers the triage rule).
 */
public final class DemoScript {
    private DemoScript() {}

    /**
     * @param unlabelledIssue the number of the issue the derived delivery opens; it must exist on
     *     the GitHub the executor talks to
     */
    public static List<DemoDelivery> deliveries(long unlabelledIssue) {
        List<DemoDelivery> list = new ArrayList<>();
        WebhookExample opened = WebhookExamples.first("issues", "opened");
        list.add(
                real(
                        opened,
                        "real example: an issue opened with label 'bug' (no action expected)"));
        list.add(
                real(WebhookExamples.first("issue_comment", "created"), "real example: a comment"));
        list.add(
                real(
                        WebhookExamples.first("pull_request", "opened"),
                        "real example: a pull request"));
        list.add(
                new DemoDelivery(
                        "issues",
                        "opened",
                        UUID.randomUUID().toString(),
                        unlabelled(opened.json(), unlabelledIssue),
                        "derived from the real issues.opened example: labels cleared, number "
                                + unlabelledIssue
                                + " (the triage rule should label it)"));
        return List.copyOf(list);
    }

    /** The repository the example payloads belong to, as the simulator must know it. */
    public static String exampleRepo() {
        return repoOf(WebhookExamples.first("issues", "opened").json());
    }

    /** The issue the real examples refer to (number, title, labels, author). */
    public static JsonNode exampleIssue() {
        return parse(WebhookExamples.first("issues", "opened").json()).get("issue");
    }

    static String repoOf(String payload) {
        return parse(payload).path("repository").path("full_name").asText();
    }

    private static DemoDelivery real(WebhookExample example, String note) {
        return new DemoDelivery(
                example.event(),
                example.action(),
                UUID.randomUUID().toString(),
                example.json(),
                note);
    }

    private static String unlabelled(String json, long number) {
        ObjectNode payload = (ObjectNode) parse(json);
        ObjectNode issue = (ObjectNode) payload.get("issue");
        issue.putArray("labels");
        issue.put("number", number);
        String url = issue.path("url").asText();
        issue.put("url", url.substring(0, url.lastIndexOf('/') + 1) + number);
        String html = issue.path("html_url").asText();
        issue.put("html_url", html.substring(0, html.lastIndexOf('/') + 1) + number);
        issue.put("title", "Spelling error in the README file (no labels yet)");
        try {
            return Json.mapper().writeValueAsString(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("example payload is not JSON", e);
        }
    }
}

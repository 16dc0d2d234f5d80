package io.repostream.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A realistic mix of GitHub events over many repositories, built from GitHub's real example
 * payloads (full size): issue and pull request lifecycles with labels, comments and reviews, CI job
 * and run completions with some failures, and pushes. Seeded, so runs are comparable.
 */
final class EventMix {
    private final Random random = new Random(42);
    private final int repos;
    private final Map<String, ObjectNode> templates = new HashMap<>();
    private final List<List<Long>> openItems = new ArrayList<>();
    private final long[] nextNumber;
    private Instant clock;
    private long seq;
    private long runId = 1_000_000;
    int opened;
    int closed;

    EventMix(int repos, Instant start) {
        this.repos = repos;
        this.nextNumber = new long[repos];
        this.clock = start;
        for (int i = 0; i < repos; i++) {
            openItems.add(new ArrayList<>());
        }
        template("issues", "opened");
        template("issues", "labeled");
        template("issues", "closed");
        template("issue_comment", "created");
        template("pull_request", "opened");
        template("pull_request", "closed");
        template("pull_request_review", "submitted");
        template("workflow_job", "completed");
        template("workflow_run", "completed");
        template("push", null);
    }

    GitHubEvent next() {
        int r = random.nextInt(repos);
        String repo = "bench-org/repo-" + r;
        clock = clock.plusMillis(5);
        int roll = random.nextInt(100);
        List<Long> open = openItems.get(r);
        if (roll < 12 || (roll < 40 && open.isEmpty())) {
            return openItem(r, repo, "issues");
        }
        if (roll < 20) {
            return onItem(repo, "issues", "labeled", pick(open), labels());
        }
        if (roll < 35) {
            return comment(repo, pick(open));
        }
        if (roll < 40) {
            long n = open.remove(random.nextInt(open.size()));
            closed++;
            return onItem(repo, "issues", "closed", n, List.of());
        }
        if (roll < 48) {
            return openItem(r, repo, "pull_request");
        }
        if (roll < 51 && !open.isEmpty()) {
            long n = open.remove(random.nextInt(open.size()));
            closed++;
            return onItem(repo, "pull_request", "closed", n, List.of());
        }
        if (roll < 56 && !open.isEmpty()) {
            ObjectNode p = copy("pull_request_review.submitted");
            ((ObjectNode) p.get("pull_request")).put("number", pick(open));
            ((ObjectNode) p.get("review").get("user"))
                    .put("login", "reviewer-" + random.nextInt(20));
            return event(repo, "pull_request_review", "submitted", p);
        }
        if (roll < 81) {
            ObjectNode p = copy("workflow_job.completed");
            ObjectNode job = (ObjectNode) p.get("workflow_job");
            job.put("run_id", runId - random.nextInt(50));
            job.put("workflow_name", "CI");
            job.put("conclusion", random.nextInt(100) < 90 ? "success" : "failure");
            return event(repo, "workflow_job", "completed", p);
        }
        if (roll < 91) {
            ObjectNode p = copy("workflow_run.completed");
            ObjectNode run = (ObjectNode) p.get("workflow_run");
            int outcome = random.nextInt(100);
            run.put("id", runId++);
            run.put("name", "CI");
            run.put("head_sha", Long.toHexString(random.nextLong()));
            run.put(
                    "conclusion",
                    outcome < 88 ? "success" : outcome < 95 ? "failure" : "timed_out");
            run.put("run_attempt", 1);
            return event(repo, "workflow_run", "completed", p);
        }
        return event(repo, "push", null, copy("push"));
    }

    /** The event whose triage action tells the bench that the job has read everything. */
    GitHubEvent marker() {
        clock = clock.plusMillis(5);
        ObjectNode p = copy("issues.opened");
        ((ObjectNode) p.get("issue")).put("number", 1);
        ((ObjectNode) p.get("issue")).putArray("labels");
        return event("bench-org/marker", "issues", "opened", p);
    }

    private GitHubEvent openItem(int r, String repo, String type) {
        long n = ++nextNumber[r];
        openItems.get(r).add(n);
        opened++;
        List<String> labels = random.nextInt(100) < 60 ? List.of() : labels();
        return onItem(repo, type, "opened", n, labels);
    }

    private GitHubEvent onItem(
            String repo, String type, String action, long n, List<String> labels) {
        ObjectNode p = copy(type + "." + action);
        ObjectNode item = (ObjectNode) p.get(type.equals("issues") ? "issue" : "pull_request");
        item.put("number", n);
        ArrayNode names = item.putArray("labels");
        labels.forEach(l -> names.addObject().put("name", l));
        return event(repo, type, action, p);
    }

    private GitHubEvent comment(String repo, long n) {
        ObjectNode p = copy("issue_comment.created");
        ((ObjectNode) p.get("issue")).put("number", n);
        int who = random.nextInt(10);
        ObjectNode user = (ObjectNode) p.get("comment").get("user");
        user.put(
                "login",
                who < 7 ? "maintainer-" + random.nextInt(10) : who < 9 ? "Codertocat" : "ci[bot]");
        user.put("type", who < 9 ? "User" : "Bot");
        return event(repo, "issue_comment", "created", p);
    }

    private List<String> labels() {
        int p = random.nextInt(10);
        return p == 0 ? List.of("P0") : p < 4 ? List.of("P1", "bug") : List.of("enhancement");
    }

    private long pick(List<Long> open) {
        return open.isEmpty() ? 1 : open.get(random.nextInt(open.size()));
    }

    private GitHubEvent event(String repo, String type, String action, ObjectNode payload) {
        return new GitHubEvent(
                "bench-" + (seq++),
                EventSource.WEBHOOK,
                type,
                action,
                repo,
                null,
                7L,
                clock,
                clock.plusMillis(200),
                payload);
    }

    private ObjectNode copy(String key) {
        return templates.get(key).deepCopy();
    }

    private void template(String event, String action) {
        // the examples lack some actions (issues.closed): any example of the event has the shape
        String json =
                WebhookExamples.of(event).stream()
                        .filter(e -> java.util.Objects.equals(e.action(), action))
                        .findFirst()
                        .orElse(WebhookExamples.of(event).get(0))
                        .json();
        try {
            ObjectNode payload = (ObjectNode) Json.mapper().readTree(json);
            if (action != null) {
                payload.put("action", action);
            }
            templates.put(action == null ? event : event + "." + action, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

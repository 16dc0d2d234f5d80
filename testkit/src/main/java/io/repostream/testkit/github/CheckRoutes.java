package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Commit statuses and check runs. Only GitHub Apps may write check runs: anything else gets the 403
 * GitHub answers ("You must authenticate via a GitHub App.").
 */
final class CheckRoutes {
    static final String APPS_ONLY = "You must authenticate via a GitHub App.";
    private static final Set<String> STATES = Set.of("error", "failure", "pending", "success");
    private static final Set<String> RUN_STATUSES = Set.of("queued", "in_progress", "completed");
    private static final Set<String> CONCLUSIONS =
            Set.of(
                    "action_required",
                    "cancelled",
                    "failure",
                    "neutral",
                    "success",
                    "skipped",
                    "timed_out");

    private final SimulatedGitHub state;
    private final GitHubJson json;

    CheckRoutes(SimulatedGitHub state, GitHubJson json) {
        this.state = state;
        this.json = json;
    }

    /** {@code POST .../statuses/{sha}}. */
    ApiResponse createStatus(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        String sha = request.param("sha");
        JsonNode body = request.body();
        String wanted = RequestBodies.requiredText(body, "state", "Status");
        if (!STATES.contains(wanted)) {
            throw ApiError.validation("Status", "state", "custom");
        }
        if (!repo.git.has(sha)) {
            throw ApiError.unprocessable("No commit found for SHA: " + sha);
        }
        String context = RequestBodies.optionalText(body, "context", "Status");
        SimulatedChecks.Status status =
                new SimulatedChecks.Status(
                        state.nextId(),
                        sha,
                        wanted,
                        context == null ? "default" : context,
                        RequestBodies.optionalText(body, "description", "Status"),
                        RequestBodies.optionalText(body, "target_url", "Status"),
                        request.login(),
                        state.now());
        recordStatus(repo, status);
        return ApiResponse.created(status(repo, status));
    }

    void recordStatus(SimulatedRepo repo, SimulatedChecks.Status status) {
        repo.statuses.add(status);
        state.recordCommitMutation(
                repo, status.sha(), "status:" + status.context() + "=" + status.state());
    }

    /** {@code GET .../commits/{ref}/status}: the latest status per context, and their sum. */
    ApiResponse combinedStatus(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        String sha = repo.git.resolve(request.param("ref")).orElseThrow(ApiError::notFound);
        List<SimulatedChecks.Status> latest = latestStatuses(repo, sha);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("state", combined(latest));
        body.put("sha", sha);
        body.put("total_count", latest.size());
        ArrayNode list = body.putArray("statuses");
        latest.forEach(s -> list.add(status(repo, s)));
        body.set("repository", json.repository(repo));
        body.put("commit_url", json.repoUrl(repo) + "/commits/" + sha);
        body.put("url", json.repoUrl(repo) + "/commits/" + sha + "/status");
        return ApiResponse.ok(body);
    }

    static List<SimulatedChecks.Status> latestStatuses(SimulatedRepo repo, String sha) {
        Map<String, SimulatedChecks.Status> byContext = new LinkedHashMap<>();
        for (int i = repo.statuses.size() - 1; i >= 0; i--) {
            SimulatedChecks.Status s = repo.statuses.get(i);
            if (s.sha().equals(sha)) {
                byContext.putIfAbsent(s.context(), s);
            }
        }
        return new ArrayList<>(byContext.values());
    }

    /** GitHub: failure if any is error or failure, pending if none or any pending, else success. */
    static String combined(List<SimulatedChecks.Status> latest) {
        if (latest.stream().anyMatch(s -> Set.of("error", "failure").contains(s.state()))) {
            return "failure";
        }
        if (latest.isEmpty() || latest.stream().anyMatch(s -> "pending".equals(s.state()))) {
            return "pending";
        }
        return "success";
    }

    /** {@code POST .../check-runs}: Apps only. */
    ApiResponse createCheckRun(ApiRequest request) {
        String app = appOnly(request);
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        JsonNode body = request.body();
        String name = RequestBodies.requiredText(body, "name", "CheckRun");
        String sha = RequestBodies.requiredText(body, "head_sha", "CheckRun");
        if (!repo.git.has(sha)) {
            throw ApiError.unprocessable("No commit found for SHA: " + sha);
        }
        SimulatedChecks.CheckRun run = new SimulatedChecks.CheckRun(state.nextId(), sha, app);
        run.name = name;
        run.status = "queued";
        run.startedAt = state.now();
        apply(run, body);
        repo.checkRuns.put(run.id, run);
        recordRun(repo, run);
        return ApiResponse.created(checkRun(repo, run));
    }

    /** {@code PATCH .../check-runs/{check_run_id}}: Apps only, and only the App's own. */
    ApiResponse updateCheckRun(ApiRequest request) {
        String app = appOnly(request);
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedChecks.CheckRun run = repo.checkRuns.get(request.number("check_run_id"));
        if (run == null || !run.app.equals(app)) {
            throw ApiError.notFound();
        }
        String name = RequestBodies.optionalText(request.body(), "name", "CheckRun");
        if (name != null) {
            run.name = name;
        }
        apply(run, request.body());
        recordRun(repo, run);
        return ApiResponse.ok(checkRun(repo, run));
    }

    /** A check run written by the simulated CI or a test, as App {@code app}. */
    SimulatedChecks.CheckRun addCheckRun(
            SimulatedRepo repo, String sha, String app, String name, String conclusion) {
        SimulatedChecks.CheckRun run = new SimulatedChecks.CheckRun(state.nextId(), sha, app);
        run.name = name;
        run.startedAt = state.now();
        run.status = conclusion == null ? "in_progress" : "completed";
        run.conclusion = conclusion;
        run.completedAt = conclusion == null ? null : state.now();
        repo.checkRuns.put(run.id, run);
        recordRun(repo, run);
        return run;
    }

    private void recordRun(SimulatedRepo repo, SimulatedChecks.CheckRun run) {
        state.recordCommitMutation(
                repo,
                run.headSha,
                "check_run:"
                        + run.name
                        + "="
                        + (run.conclusion != null ? run.conclusion : run.status));
    }

    /** {@code GET .../commits/{ref}/check-runs}: the latest run per name unless filter=all. */
    ApiResponse listForRef(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        String ref = request.param("ref");
        String sha =
                repo.git
                        .resolve(ref)
                        .orElseThrow(
                                () -> ApiError.unprocessable("No commit found for SHA: " + ref));
        String filter = IssueRoutes.oneOf(request, "filter", "latest", "latest", "all");
        String checkName = request.query().get("check_name");
        String status = request.query().get("status");
        Map<String, SimulatedChecks.CheckRun> latest = new LinkedHashMap<>();
        List<SimulatedChecks.CheckRun> runs =
                repo.checkRuns.values().stream()
                        .filter(r -> r.headSha.equals(sha))
                        .filter(r -> checkName == null || checkName.equals(r.name))
                        .filter(r -> status == null || status.equals(r.status))
                        .sorted(
                                Comparator.comparingLong((SimulatedChecks.CheckRun r) -> r.id)
                                        .reversed())
                        .toList();
        List<SimulatedChecks.CheckRun> shown = runs;
        if ("latest".equals(filter)) {
            runs.forEach(r -> latest.putIfAbsent(r.name, r));
            shown = new ArrayList<>(latest.values());
        }
        Pagination<SimulatedChecks.CheckRun> page = Pagination.of(shown, request);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("total_count", shown.size());
        ArrayNode list = body.putArray("check_runs");
        page.items.forEach(r -> list.add(checkRun(repo, r)));
        return page.respond(ApiResponse.ok(body), json.api(), request);
    }

    private String appOnly(ApiRequest request) {
        String app = state.appSlugForToken(request.token());
        if (app == null) {
            throw ApiError.of(403, APPS_ONLY)
                    .withDocs("https://docs.github.com/rest/checks/runs#create-a-check-run");
        }
        return app;
    }

    private void apply(SimulatedChecks.CheckRun run, JsonNode body) {
        String status = RequestBodies.optionalText(body, "status", "CheckRun");
        String conclusion = RequestBodies.optionalText(body, "conclusion", "CheckRun");
        if (status != null && !RUN_STATUSES.contains(status)) {
            throw ApiError.validation("CheckRun", "status", "invalid");
        }
        if (conclusion != null && !CONCLUSIONS.contains(conclusion)) {
            throw ApiError.validation("CheckRun", "conclusion", "invalid");
        }
        if ("completed".equals(status) && conclusion == null && run.conclusion == null) {
            throw ApiError.validation("CheckRun", "conclusion", "missing_field");
        }
        // GitHub: providing a conclusion sets the status to completed
        if (conclusion != null) {
            run.status = "completed";
            run.conclusion = conclusion;
            run.completedAt = state.now();
        } else if (status != null) {
            run.status = status;
            if (!"completed".equals(status)) {
                run.conclusion = null;
                run.completedAt = null;
            }
        }
        String detailsUrl = RequestBodies.optionalText(body, "details_url", "CheckRun");
        if (detailsUrl != null) {
            run.detailsUrl = detailsUrl;
        }
        String externalId = RequestBodies.optionalText(body, "external_id", "CheckRun");
        if (externalId != null) {
            run.externalId = externalId;
        }
        JsonNode output = body.path("output");
        if (output.isObject()) {
            run.title = RequestBodies.requiredText(output, "title", "CheckRun");
            run.summary = RequestBodies.requiredText(output, "summary", "CheckRun");
            run.text = RequestBodies.optionalText(output, "text", "CheckRun");
            run.annotations.addAll(annotations(output.path("annotations")));
        }
    }

    /** GitHub's limit of annotations per request ("a maximum of 50 per API request"). */
    static final int MAX_ANNOTATIONS = 50;

    static final Set<String> ANNOTATION_LEVELS = Set.of("notice", "warning", "failure");

    /**
     * {@code output.annotations}, checked as GitHub checks them: path, start_line, end_line,
     * annotation_level (notice, warning, failure) and message required, at most 50 a request.
     */
    private static List<ObjectNode> annotations(JsonNode given) {
        if (given.isMissingNode() || given.isNull()) {
            return List.of();
        }
        if (!given.isArray()) {
            throw ApiError.validation("CheckRun", "annotations", "invalid");
        }
        if (given.size() > MAX_ANNOTATIONS) {
            throw ApiError.unprocessable(
                    "Only "
                            + MAX_ANNOTATIONS
                            + " annotations are allowed per request; to add more, update the"
                            + " check run");
        }
        List<ObjectNode> kept = new java.util.ArrayList<>();
        for (JsonNode a : given) {
            String path = RequestBodies.requiredText(a, "path", "CheckRun");
            String level = RequestBodies.requiredText(a, "annotation_level", "CheckRun");
            String message = RequestBodies.requiredText(a, "message", "CheckRun");
            if (!ANNOTATION_LEVELS.contains(level)) {
                throw ApiError.validation("CheckRun", "annotation_level", "invalid");
            }
            if (!a.path("start_line").canConvertToInt() || a.path("start_line").asInt() < 1) {
                throw ApiError.validation("CheckRun", "start_line", "missing_field");
            }
            if (!a.path("end_line").canConvertToInt()
                    || a.path("end_line").asInt() < a.path("start_line").asInt()) {
                throw ApiError.validation("CheckRun", "end_line", "missing_field");
            }
            ObjectNode annotation = JsonNodeFactory.instance.objectNode();
            annotation.put("path", path);
            annotation.put("start_line", a.path("start_line").asInt());
            annotation.put("end_line", a.path("end_line").asInt());
            annotation.put("annotation_level", level);
            annotation.put("message", message);
            annotation.put("title", a.path("title").isTextual() ? a.path("title").asText() : null);
            kept.add(annotation);
        }
        return kept;
    }

    /** {@code GET .../check-runs/{check_run_id}/annotations}. */
    ApiResponse listAnnotations(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedChecks.CheckRun run = repo.checkRuns.get(request.number("check_run_id"));
        if (run == null) {
            throw ApiError.notFound();
        }
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        run.annotations.forEach(a -> list.add(a.deepCopy()));
        return ApiResponse.ok(list);
    }

    private ObjectNode status(SimulatedRepo repo, SimulatedChecks.Status status) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("url", json.repoUrl(repo) + "/statuses/" + status.sha());
        body.put("avatar_url", json.user(status.creator()).path("avatar_url").asText());
        body.put("id", status.id());
        body.put("node_id", "SC_" + status.id());
        body.put("state", status.state());
        body.put("description", status.description());
        body.put("target_url", status.targetUrl());
        body.put("context", status.context());
        body.put("created_at", GitHubJson.ts(status.createdAt()));
        body.put("updated_at", GitHubJson.ts(status.createdAt()));
        body.set("creator", json.user(status.creator()));
        return body;
    }

    ObjectNode checkRun(SimulatedRepo repo, SimulatedChecks.CheckRun run) {
        String url = json.repoUrl(repo) + "/check-runs/" + run.id;
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", run.id);
        body.put("node_id", "CR_" + run.id);
        body.put("head_sha", run.headSha);
        body.put("external_id", run.externalId == null ? "" : run.externalId);
        body.put("url", url);
        body.put("html_url", json.htmlUrl(repo) + "/runs/" + run.id);
        body.put("details_url", run.detailsUrl);
        body.put("status", run.status);
        body.put("conclusion", run.conclusion);
        body.put("started_at", GitHubJson.ts(run.startedAt));
        body.put("completed_at", GitHubJson.ts(run.completedAt));
        ObjectNode output = body.putObject("output");
        output.put("title", run.title);
        output.put("summary", run.summary);
        output.put("text", run.text);
        output.put("annotations_count", run.annotations.size());
        output.put("annotations_url", url + "/annotations");
        body.put("name", run.name);
        body.putObject("check_suite").put("id", 1L + Math.abs(run.headSha.hashCode()));
        // the App is named by its slug (the full integration object is left out: GitHub
        // documents app as nullable)
        body.putNull("app");
        ArrayNode pulls = body.putArray("pull_requests");
        for (SimulatedIssue issue : repo.issues.values()) {
            if (issue.pull != null && run.headSha.equals(issue.pull.headSha) && issue.isOpen()) {
                ObjectNode pr = pulls.addObject();
                pr.put("id", issue.id);
                pr.put("number", issue.number);
                pr.put("url", json.repoUrl(repo) + "/pulls/" + issue.number);
                branchRef(pr.putObject("head"), repo, issue.pull.headRef, issue.pull.headSha);
                branchRef(pr.putObject("base"), repo, issue.pull.baseRef, issue.pull.baseSha);
            }
        }
        return body;
    }

    private void branchRef(ObjectNode node, SimulatedRepo repo, String ref, String sha) {
        node.put("ref", ref);
        node.put("sha", sha);
        node.putObject("repo")
                .put("id", repo.id)
                .put("url", json.repoUrl(repo))
                .put("name", repo.name);
    }
}

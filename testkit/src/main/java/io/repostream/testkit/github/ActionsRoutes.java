package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** GitHub Actions workflow runs: list, get, re-run (all or failed jobs), cancel, jobs. */
final class ActionsRoutes {
    private final SimulatedGitHub state;
    private final GitHubJson json;

    ActionsRoutes(SimulatedGitHub state, GitHubJson json) {
        this.state = state;
        this.json = json;
    }

    /**
     * {@code GET /repos/{owner}/{repo}/actions/runs}, newest first; {@code status} matches a status
     * or a conclusion, as on GitHub.
     */
    ApiResponse list(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        String status = request.query().get("status");
        String branch = request.query().get("branch");
        String headSha = request.query().get("head_sha");
        String event = request.query().get("event");
        List<SimulatedWorkflowRun> runs =
                repo.runs.descendingMap().values().stream()
                        .filter(
                                r ->
                                        status == null
                                                || status.equals(r.status)
                                                || status.equals(r.conclusion))
                        .filter(r -> branch == null || branch.equals(r.headBranch))
                        .filter(r -> headSha == null || headSha.equals(r.headSha))
                        .filter(r -> event == null || event.equals(r.event))
                        .toList();
        Pagination<SimulatedWorkflowRun> page = Pagination.of(runs, request);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("total_count", runs.size());
        ArrayNode items = body.putArray("workflow_runs");
        page.items.forEach(r -> items.add(json.workflowRun(repo, r)));
        return page.respond(ApiResponse.ok(body), json.api(), request);
    }

    /** {@code GET /repos/{owner}/{repo}/actions/runs/{run_id}}. */
    ApiResponse get(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        return ApiResponse.ok(json.workflowRun(repo, run(repo, request)));
    }

    /**
     * {@code POST .../runs/{run_id}/rerun}: 201 and a new attempt with every job queued. A run that
     * has not completed is refused with 403, as GitHub refuses it.
     */
    ApiResponse rerun(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedWorkflowRun run = run(repo, request);
        requireCompleted(repo, run);
        newAttempt(run, run.jobs);
        state.recordRunMutation(repo, run.id, "rerun");
        return ApiResponse.created(JsonNodeFactory.instance.objectNode());
    }

    /** {@code POST .../runs/{run_id}/rerun-failed-jobs}: a new attempt of the failed jobs only. */
    ApiResponse rerunFailedJobs(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedWorkflowRun run = run(repo, request);
        requireCompleted(repo, run);
        List<SimulatedJob> failed = run.jobs.stream().filter(SimulatedJob::failed).toList();
        if (failed.isEmpty()) {
            // GitHub refuses this too; the wording of its message is not documented.
            throw ApiError.of(
                    403,
                    "Workflow run " + repo.fullName() + "#run/" + run.id + " has no failed jobs");
        }
        newAttempt(run, failed);
        state.recordRunMutation(repo, run.id, "rerun-failed-jobs");
        return ApiResponse.created(JsonNodeFactory.instance.objectNode());
    }

    /** {@code POST .../runs/{run_id}/cancel}: 202, or 409 once the run has completed. */
    ApiResponse cancel(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedWorkflowRun run = run(repo, request);
        if (run.isCompleted()) {
            throw ApiError.of(409, "Cannot cancel a workflow run that is completed.");
        }
        Instant now = state.now();
        run.jobs.stream()
                .filter(j -> !"completed".equals(j.status))
                .forEach(j -> j.setOutcome("completed", "cancelled", now));
        run.setOutcome("completed", "cancelled", now);
        state.recordRunMutation(repo, run.id, "cancel");
        return ApiResponse.accepted(JsonNodeFactory.instance.objectNode());
    }

    /** {@code GET .../runs/{run_id}/jobs}. */
    ApiResponse jobs(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        SimulatedWorkflowRun run = run(repo, request);
        Pagination<SimulatedJob> page = Pagination.of(run.jobs, request);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("total_count", run.jobs.size());
        ArrayNode items = body.putArray("jobs");
        page.items.forEach(j -> items.add(json.job(repo, run, j)));
        return page.respond(ApiResponse.ok(body), json.api(), request);
    }

    /** How long a signed log URL works: GitHub's "This link expires after 1 minute". */
    static final Duration LOG_LINK_LIFETIME = Duration.ofMinutes(1);

    /** The path below the simulator's root where signed job-log URLs point (not GitHub's API). */
    static final String LOG_DOWNLOADS = "/_simulator/job-logs/";

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * {@code GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs}: 302 to a signed URL that serves
     * the job's log as plain text for a minute, as GitHub answers ("Look for {@code Location:} in
     * the response header to find the URL for the download"). 404 for an unknown job, or a job
     * without a log yet.
     */
    ApiResponse jobLogs(ApiRequest request) {
        SimulatedRepo repo = state.repo(request.owner(), request.repo());
        long jobId = request.number("job_id");
        SimulatedJob job =
                repo.runs.values().stream()
                        .flatMap(r -> r.jobs.stream())
                        .filter(j -> j.id == jobId)
                        .findFirst()
                        .orElseThrow(ApiError::notFound);
        if (job.log == null) {
            throw ApiError.notFound();
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String signature = HexFormat.of().formatHex(bytes);
        state.jobLogDownloads.put(
                signature,
                new SimulatedGitHub.JobLogDownload(job.log, state.now().plus(LOG_LINK_LIFETIME)));
        return ApiResponse.of(302, null)
                .header(
                        "Location",
                        json.api()
                                + LOG_DOWNLOADS
                                + jobId
                                + "?urlExpires="
                                + state.now().plus(LOG_LINK_LIFETIME)
                                + "&urlSignature="
                                + signature);
    }

    private void newAttempt(SimulatedWorkflowRun run, List<SimulatedJob> jobs) {
        Instant now = state.now();
        run.runAttempt++;
        run.runStartedAt = now;
        run.setOutcome("queued", null, now);
        for (SimulatedJob job : jobs) {
            job.runAttempt = run.runAttempt;
            job.startedAt = now;
            job.setOutcome("queued", null, now);
        }
    }

    private static void requireCompleted(SimulatedRepo repo, SimulatedWorkflowRun run) {
        if (!run.isCompleted()) {
            throw ApiError.of(
                    403,
                    "Workflow run " + repo.fullName() + "#run/" + run.id + " is still running");
        }
    }

    private static SimulatedWorkflowRun run(SimulatedRepo repo, ApiRequest request) {
        SimulatedWorkflowRun run = repo.runs.get(request.number("run_id"));
        if (run == null) {
            throw ApiError.notFound();
        }
        return run;
    }
}

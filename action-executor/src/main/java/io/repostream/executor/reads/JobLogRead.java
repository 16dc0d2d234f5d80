package io.repostream.executor.reads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.CollaboratorReads.Conditional;
import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.JobLogs;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetKind;

/**
 * {@code read_job_log}: the log of job {@code params.job_id} of the workflow run that is the typed
 * target ({@code GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs}, a redirect to a download
 * URL that expires after a minute). Only the log's last {@link #MAX_LOG_BYTES} are read: the cause
 * of a failure is near its end. What comes back is never the log but its excerpt ({@link
 * LogExcerpt}), secrets masked: {@code job_id}, {@code bytes} (the whole log's size), {@code
 * truncated}, {@code step} (the failing step's command, when the log says), {@code excerpt} (the
 * error lines), {@code error_lines}, {@code failed_tests} and {@code redactions}.
 *
 * <p>Permission: {@code actions: read}, which GitHub's REST reference for workflow jobs names for
 * GitHub Apps ("GitHub Apps must have the actions:read permission to use this endpoint"). GitHub
 * sends no ETag with the redirect: a log is read afresh each time (a job's log does not change once
 * it has completed, and the rule asks once per failed job).
 */
public final class JobLogRead implements ReadHandler<JobLogs> {
    /** The tail of the log that is read: 1 MiB, far more than the error lines of a failure. */
    public static final int MAX_LOG_BYTES = 1 << 20;

    private final LogExcerpt excerpts = new LogExcerpt();

    @Override
    public ActionType type() {
        return ActionType.READ_JOB_LOG;
    }

    @Override
    public AppPermission permission() {
        return AppPermission.ACTIONS_READ;
    }

    @Override
    public void validate(ActionRecord action) {
        JsonNode job = action.params().get("job_id");
        if (job == null || !job.canConvertToLong() || !job.isIntegralNumber() || job.asLong() < 1) {
            throw new IllegalArgumentException(
                    "params.job_id must be a job's id (a positive integer), got "
                            + job
                            + " for "
                            + action.targetRef());
        }
        if (!action.typedTarget().kind().equals(TargetKind.WORKFLOW_RUN)) {
            throw new IllegalArgumentException(
                    "a job's log is read for its workflow run, not for " + action.targetRef());
        }
    }

    @Override
    public String resource(ActionRecord action) {
        return action.repo() + "/actions/jobs/" + jobId(action) + "/logs";
    }

    @Override
    public GitHubResult<Conditional> read(JobLogs github, ActionRecord action, String etag) {
        GitHubResult<JsonNode> log = github.jobLog(action.repo(), jobId(action), MAX_LOG_BYTES);
        JsonNode file = log.value();
        LogExcerpt.Excerpt excerpt =
                excerpts.cut(file.path("text").asText(""), file.path("truncated").asBoolean());
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("job_id", jobId(action));
        body.put("bytes", file.path("bytes").asLong());
        body.put("truncated", file.path("truncated").asBoolean());
        if (excerpt.step() != null) {
            body.put("step", excerpt.step());
        }
        body.put("excerpt", excerpt.text());
        body.put("error_lines", excerpt.errorLines());
        excerpt.failedTests().forEach(body.putArray("failed_tests")::add);
        body.put("redactions", excerpt.redactions());
        return new GitHubResult<>(new Conditional(body, null, false), log.response());
    }

    private static long jobId(ActionRecord action) {
        return action.params().path("job_id").asLong();
    }
}

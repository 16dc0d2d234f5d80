package io.repostream.executor.github;

import com.fasterxml.jackson.databind.JsonNode;

/** The part of GitHub a job-log read talks to. */
public interface JobLogs {

    /**
     * {@code GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs}: GitHub answers with a redirect
     * to a signed download URL that expires after a minute; the log is fetched from there without
     * the repository's credentials, and only its last {@code maxBytes} are kept.
     *
     * @return {@code text} (the log's tail, UTF-8, with U+FFFD where the cut split a character),
     *     {@code bytes} (the whole log's size) and {@code truncated}
     * @throws GitHubException on a refusal (404: no such job, or its log is gone; 410: logs
     *     expired)
     */
    GitHubResult<JsonNode> jobLog(String repo, long jobId, int maxBytes);
}

package io.repostream.executor.github;

import io.repostream.executor.metrics.ExecutorMetrics;

/**
 * Times every request by operation ({@code repostream_executor_github_request_seconds}) and keeps
 * the quota GitHub's last answer named ({@code repostream_executor_github_quota_remaining}),
 * refusals included.
 */
final class MeteredHttp implements GitHubHttp {
    private final ExecutorMetrics metrics;
    private final GitHubHttp next;

    MeteredHttp(ExecutorMetrics metrics, GitHubHttp next) {
        this.metrics = metrics;
        this.next = next;
    }

    @Override
    public GitHubAnswer send(GitHubRequest request) {
        long started = System.nanoTime();
        try {
            GitHubAnswer answer = next.send(request);
            metrics.quotaRemaining(answer.response().rateLimit().remaining());
            return answer;
        } catch (GitHubException e) {
            e.response().ifPresent(r -> metrics.quotaRemaining(r.rateLimit().remaining()));
            throw e;
        } finally {
            metrics.githubRequest(request.operation(), (System.nanoTime() - started) / 1e9);
        }
    }
}

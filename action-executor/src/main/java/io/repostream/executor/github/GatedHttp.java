package io.repostream.executor.github;

import io.repostream.schemas.RateLimit;

/**
 * Sends each request through the {@link RequestGate} of its budget (the installation, or the one
 * token): pacing, the cap on requests in flight, retries, waits for rate limits, and the look for a
 * lost write's effect. Every answer's rate-limit headers, refusals included, tell the gate when a
 * quota is used up.
 */
final class GatedHttp implements GitHubHttp {
    private final RequestGate gate;
    private final Credentials credentials;
    private final GitHubHttp next;
    private final boolean deferRateLimits;

    GatedHttp(RequestGate gate, Credentials credentials, GitHubHttp next) {
        this(gate, credentials, next, false);
    }

    private GatedHttp(
            RequestGate gate, Credentials credentials, GitHubHttp next, boolean deferRateLimits) {
        this.gate = gate;
        this.credentials = credentials;
        this.next = next;
        this.deferRateLimits = deferRateLimits;
    }

    @Override
    public GitHubHttp deferringRateLimits() {
        return new GatedHttp(gate, credentials, next, true);
    }

    @Override
    public GitHubAnswer send(GitHubRequest request) {
        String budget = credentials.budget(request.repo());
        return gate.send(
                budget,
                request.kind(),
                request.ref(),
                () -> {
                    try {
                        GitHubAnswer a = next.send(request);
                        observed(budget, a.response());
                        return a;
                    } catch (GitHubException e) {
                        e.response().ifPresent(r -> observed(budget, r));
                        throw e;
                    }
                },
                request.tookEffect(),
                deferRateLimits);
    }

    private void observed(String budget, GitHubResponse response) {
        RateLimit rateLimit = response == null ? null : response.rateLimit();
        gate.observed(budget, rateLimit);
    }
}

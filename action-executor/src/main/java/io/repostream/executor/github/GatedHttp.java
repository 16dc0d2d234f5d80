package io.repostream.executor.github;

import io.repostream.executor.github.RequestGate.Kind;
import io.repostream.schemas.RateLimit;
import java.util.concurrent.atomic.AtomicBoolean;

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

    /** Set once a write was answered, when deferring only until then; else null. */
    private final AtomicBoolean wrote;

    GatedHttp(RequestGate gate, Credentials credentials, GitHubHttp next) {
        this(gate, credentials, next, false, null);
    }

    private GatedHttp(
            RequestGate gate,
            Credentials credentials,
            GitHubHttp next,
            boolean deferRateLimits,
            AtomicBoolean wrote) {
        this.gate = gate;
        this.credentials = credentials;
        this.next = next;
        this.deferRateLimits = deferRateLimits;
        this.wrote = wrote;
    }

    @Override
    public GitHubHttp deferringRateLimits() {
        return new GatedHttp(gate, credentials, next, true, null);
    }

    @Override
    public GitHubHttp deferringRateLimitsUntilAWrite() {
        return new GatedHttp(gate, credentials, next, true, new AtomicBoolean());
    }

    @Override
    public GitHubAnswer send(GitHubRequest request) {
        String budget = credentials.budget(request.repo());
        GitHubAnswer answer =
                gate.send(
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
                        deferRateLimits && (wrote == null || !wrote.get()));
        if (wrote != null && request.kind() != Kind.READ) {
            wrote.set(true);
        }
        return answer;
    }

    private void observed(String budget, GitHubResponse response) {
        RateLimit rateLimit = response == null ? null : response.rateLimit();
        gate.observed(budget, rateLimit);
    }
}

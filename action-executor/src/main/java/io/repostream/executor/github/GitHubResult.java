package io.repostream.executor.github;

import java.util.function.Function;

/**
 * What a GitHub call returned, together with GitHub's answer to it (status and rate-limit headers):
 * the audit of a mutation records both.
 *
 * @param response GitHub's answer; for a write whose own answer was lost but whose effect was
 *     found, the answer that showed the effect
 */
public record GitHubResult<T>(T value, GitHubResponse response) {

    public static GitHubResult<Void> done(GitHubAnswer answer) {
        return new GitHubResult<>(null, answer.response());
    }

    public <U> GitHubResult<U> map(Function<T, U> f) {
        return new GitHubResult<>(f.apply(value), response);
    }
}

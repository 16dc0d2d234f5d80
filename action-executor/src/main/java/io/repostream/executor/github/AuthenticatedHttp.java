package io.repostream.executor.github;

/**
 * Gives a request the {@code Authorization} of its repo's credentials (the token, or the
 * installation token of the installation that owns the repo), unless it carries its own.
 */
final class AuthenticatedHttp implements GitHubHttp {
    private final Credentials credentials;
    private final GitHubHttp next;

    AuthenticatedHttp(Credentials credentials, GitHubHttp next) {
        this.credentials = credentials;
        this.next = next;
    }

    @Override
    public GitHubAnswer send(GitHubRequest request) {
        if (request.authorization() != null) {
            return next.send(request);
        }
        return next.send(request.authorizedBy(credentials.authorization(request.repo())));
    }
}

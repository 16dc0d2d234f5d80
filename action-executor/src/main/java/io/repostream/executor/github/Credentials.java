package io.repostream.executor.github;

import java.util.Optional;

/**
 * How requests for a repo authenticate to GitHub: one token for everything, or a GitHub App's
 * installation token for the installation that owns the repo. Thread-safe.
 */
public interface Credentials {

    /** The {@code Authorization} header value for a request about {@code repo}. */
    String authorization(String repo);

    /**
     * Whose write budget a request about {@code repo} uses: GitHub spaces writes per token, and a
     * GitHub App has one token per installation.
     */
    String budget(String repo);

    /**
     * The budget of {@code repo} when it is known without asking GitHub ({@code installationId} as
     * an action carries it, may be null), else empty.
     */
    default Optional<String> knownBudget(String repo, Long installationId) {
        return Optional.empty();
    }

    /** A personal access token or any other single token. */
    static Credentials token(String token) {
        String header = "Bearer " + token;
        return new Credentials() {
            @Override
            public String authorization(String repo) {
                return header;
            }

            @Override
            public String budget(String repo) {
                return "token";
            }

            @Override
            public Optional<String> knownBudget(String repo, Long installationId) {
                return Optional.of("token");
            }

            @Override
            public String toString() {
                return "token ****";
            }
        };
    }
}

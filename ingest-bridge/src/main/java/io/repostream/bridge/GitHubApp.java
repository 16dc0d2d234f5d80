package io.repostream.bridge;

import java.nio.file.Path;

/**
 * Polling and gap fill as a GitHub App installation instead of with a fixed token.
 *
 * @param appId the app's id (the JWT's issuer)
 * @param installationId the installation whose tokens are used
 * @param privateKeyFile the app's private key (PEM, as GitHub hands it out)
 */
public record GitHubApp(long appId, long installationId, Path privateKeyFile) {
    public GitHubApp {
        if (appId <= 0 || installationId <= 0) {
            throw new IllegalArgumentException(
                    "GitHub App id and installation id must be positive");
        }
        if (privateKeyFile == null) {
            throw new IllegalArgumentException("GitHub App private key file is required");
        }
    }
}

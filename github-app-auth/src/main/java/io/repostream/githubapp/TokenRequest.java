package io.repostream.githubapp;

import java.io.IOException;

/**
 * Asks GitHub for a new installation token: {@code POST /app/installations/{id}/access_tokens} with
 * the app's JWT as bearer. Each service sends it through its own HTTP path ({@link
 * HttpTokenRequest} is one over the JDK's client); its errors pass through {@link
 * InstallationTokens} unchanged.
 */
@FunctionalInterface
public interface TokenRequest {

    /** The path GitHub serves installation tokens at. */
    static String path(long installationId) {
        return "/app/installations/" + installationId + "/access_tokens";
    }

    InstallationToken request(long installationId, String appJwt) throws IOException;
}

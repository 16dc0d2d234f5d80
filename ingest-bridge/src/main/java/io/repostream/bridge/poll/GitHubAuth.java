package io.repostream.bridge.poll;

import io.repostream.bridge.GitHubApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.authorization.AppInstallationAuthorizationProvider;

/**
 * The {@code Authorization} header for GitHub's REST API: a fixed token, or a GitHub App's
 * installation token, which hub4j obtains with the app's JWT and refreshes five minutes before it
 * expires. The header value is never logged.
 */
@FunctionalInterface
public interface GitHubAuth {

    /** The header value, e.g. {@code Bearer ghp_...} or {@code token ghs_...}. */
    String authorization() throws IOException;

    static GitHubAuth token(String token) {
        String header = "Bearer " + token;
        return () -> header;
    }

    /**
     * Authenticates as installation {@code app.installationId()} of the app: hub4j asks {@code POST
     * /app/installations/{id}/access_tokens} with a JWT signed by the app's private key.
     */
    static GitHubAuth app(String apiUrl, GitHubApp app) {
        AppJwt jwt = new AppJwt(app.appId(), AppJwt.readPrivateKey(app.privateKeyFile()));
        AppInstallationAuthorizationProvider installation =
                new AppInstallationAuthorizationProvider(
                        gitHubApp -> gitHubApp.getInstallationById(app.installationId()), jwt);
        try {
            // Building binds the provider to a client of this API; it asks for tokens on demand.
            new GitHubBuilder()
                    .withEndpoint(apiUrl)
                    .withAuthorizationProvider(installation)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up GitHub App authentication", e);
        }
        return installation::getEncodedAuthorization;
    }
}

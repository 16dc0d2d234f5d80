package io.repostream.bridge.poll;

import io.repostream.bridge.GitHubApp;
import io.repostream.githubapp.AppJwt;
import io.repostream.githubapp.AppPrivateKey;
import io.repostream.githubapp.HttpTokenRequest;
import io.repostream.githubapp.InstallationTokens;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * The {@code Authorization} header for GitHub's REST API: a fixed token, or a GitHub App's
 * installation token (from {@code github-app-auth}), asked for with the app's JWT and refreshed
 * five minutes before it expires. The header value is never logged.
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
     * Authenticates as installation {@code app.installationId()} of the app: {@code POST
     * /app/installations/{id}/access_tokens} with a JWT signed by the app's private key, with the
     * JDK's HTTP client as every other call of the poller.
     */
    static GitHubAuth app(String apiUrl, GitHubApp app, Duration timeout) {
        Clock clock = Clock.systemUTC();
        InstallationTokens tokens =
                new InstallationTokens(
                        new AppJwt(app.appId(), AppPrivateKey.read(app.privateKeyFile()), clock),
                        new HttpTokenRequest(
                                apiUrl,
                                HttpClient.newBuilder().connectTimeout(timeout).build(),
                                timeout),
                        clock);
        return () -> "token " + tokens.token(app.installationId()).value();
    }

    /**
     * Authenticates as the app itself, with its JWT ({@code Bearer}, RS256, reused while it has
     * more than a minute left): what {@code /app/...} endpoints such as the app's hook deliveries
     * take, where an installation token is refused.
     */
    static GitHubAuth appJwt(GitHubApp app) {
        AppJwt jwt =
                new AppJwt(
                        app.appId(), AppPrivateKey.read(app.privateKeyFile()), Clock.systemUTC());
        return () -> "Bearer " + jwt.token();
    }
}

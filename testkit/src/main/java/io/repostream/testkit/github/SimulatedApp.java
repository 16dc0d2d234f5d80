package io.repostream.testkit.github;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Set;

/**
 * A GitHub App: its id, slug and the public half of the key it signs its JWTs with; the permissions
 * and webhook events it requests ({@code GET /app}); the account that owns it (null: the simulator
 * registered it, {@link GitHubSimulator#registerApp}).
 */
record SimulatedApp(
        long id,
        String slug,
        PublicKey publicKey,
        java.util.Map<String, String> permissions,
        java.util.List<String> events,
        String owner) {

    /** An app registered by a test, requesting what the default installation grants. */
    SimulatedApp(long id, String slug, PublicKey publicKey) {
        this(
                id,
                slug,
                publicKey,
                GitHubSimulator.DEFAULT_INSTALLATION_PERMISSIONS,
                GitHubSimulator.DEFAULT_INSTALLATION_EVENTS,
                null);
    }

    /**
     * One installation of an app on an account, covering some of that account's repos, with the
     * permissions the account granted it (GitHub's names and levels: {@code issues: write}) and the
     * webhook events it is subscribed to.
     */
    record Installation(
            long id,
            long appId,
            String account,
            Set<String> repoKeys,
            Instant at,
            java.util.Map<String, String> permissions,
            java.util.List<String> events) {}

    /**
     * An app registered through the manifest flow, waiting for its code to be converted ({@code
     * POST /app-manifests/{code}/conversions}): once, within an hour.
     */
    record PendingConversion(
            SimulatedApp app,
            String name,
            String description,
            String url,
            String pem,
            String webhookSecret,
            String clientSecret,
            Instant expiresAt) {}

    /** An installation access token and when it stops working (GitHub: one hour). */
    record InstallationToken(long installationId, Instant expiresAt) {}
}

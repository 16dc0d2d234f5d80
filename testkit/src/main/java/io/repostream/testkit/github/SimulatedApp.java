package io.repostream.testkit.github;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Set;

/** A GitHub App: its id, slug and the public half of the key it signs its JWTs with. */
record SimulatedApp(long id, String slug, PublicKey publicKey) {

    /**
     * One installation of an app on an account, covering some of that account's repos, with the
     * permissions the account granted it (GitHub's names and levels: {@code issues: write}).
     */
    record Installation(
            long id,
            long appId,
            String account,
            Set<String> repoKeys,
            Instant at,
            java.util.Map<String, String> permissions) {}

    /** An installation access token and when it stops working (GitHub: one hour). */
    record InstallationToken(long installationId, Instant expiresAt) {}
}

package io.repostream.githubapp;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The installation tokens of one GitHub App, one per installation, each asked for once and reused
 * until {@link #REFRESH_BEFORE_EXPIRY} before it expires; then the next use asks for a new one. A
 * token that GitHub issues with less life left than that is used once. Thread-safe: two threads
 * that need the same installation's token ask GitHub once; other installations do not wait.
 */
public final class InstallationTokens {
    /** Refresh margin: long enough that no request starts with a token about to lapse. */
    public static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);

    private final AppJwt jwt;
    private final TokenRequest request;
    private final Clock clock;
    private final Map<Long, InstallationToken> tokens = new ConcurrentHashMap<>();
    private final Map<Long, Object> locks = new ConcurrentHashMap<>();

    public InstallationTokens(AppJwt jwt, TokenRequest request, Clock clock) {
        this.jwt = jwt;
        this.request = request;
        this.clock = clock;
    }

    public long appId() {
        return jwt.appId();
    }

    /** The app's own JWT, for the calls GitHub takes only from the app (e.g. an installation). */
    public String appJwt() {
        return jwt.token();
    }

    /**
     * A token of {@code installationId} with more than {@link #REFRESH_BEFORE_EXPIRY} left, asked
     * for if the one held has less.
     *
     * @throws IOException as the {@link TokenRequest} fails
     */
    public InstallationToken token(long installationId) throws IOException {
        InstallationToken held = tokens.get(installationId);
        if (fresh(held)) {
            return held;
        }
        synchronized (locks.computeIfAbsent(installationId, id -> new Object())) {
            held = tokens.get(installationId);
            if (fresh(held)) {
                return held;
            }
            InstallationToken issued = request.request(installationId, jwt.token());
            tokens.put(installationId, issued);
            return issued;
        }
    }

    private boolean fresh(InstallationToken token) {
        return token != null
                && clock.instant().isBefore(token.expiresAt().minus(REFRESH_BEFORE_EXPIRY));
    }

    @Override
    public String toString() {
        return "InstallationTokens[appId=" + jwt.appId() + ", tokens=****]";
    }
}

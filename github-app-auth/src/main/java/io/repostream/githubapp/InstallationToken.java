package io.repostream.githubapp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * A GitHub App installation's access token and when GitHub lets it expire (an hour after it was
 * issued). Its {@code toString} hides the token.
 */
public record InstallationToken(String value, Instant expiresAt) {
    public InstallationToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * Reads GitHub's answer to {@code POST /app/installations/{id}/access_tokens}: {@code token}
     * and {@code expires_at}; empty if either is missing or unreadable.
     */
    public static Optional<InstallationToken> fromAnswer(JsonNode answer) {
        if (answer == null
                || !answer.path("token").isTextual()
                || answer.path("token").asText().isBlank()
                || !answer.path("expires_at").isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new InstallationToken(
                            answer.get("token").asText(),
                            Instant.parse(answer.get("expires_at").asText())));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "InstallationToken[value=****, expiresAt=" + expiresAt + "]";
    }
}

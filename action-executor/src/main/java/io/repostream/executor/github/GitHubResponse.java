package io.repostream.executor.github;

import io.repostream.schemas.RateLimit;
import io.repostream.schemas.RetryAfter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the executor keeps of one GitHub answer: its status and rate-limit headers.
 *
 * @param status HTTP status
 * @param rateLimit {@code x-ratelimit-*} and {@code retry-after} (seconds, or an HTTP-date counted
 *     from the answer's {@code date})
 */
public record GitHubResponse(int status, RateLimit rateLimit) {

    /** Reads the rate-limit headers from a header map whose names may be in any case. */
    public static GitHubResponse of(int status, Map<String, List<String>> headers) {
        return new GitHubResponse(
                status,
                new RateLimit(
                        integer(headers, "x-ratelimit-limit"),
                        integer(headers, "x-ratelimit-remaining"),
                        integer(headers, "x-ratelimit-used"),
                        longValue(headers, "x-ratelimit-reset"),
                        header(headers, "x-ratelimit-resource").orElse(null),
                        RetryAfter.seconds(
                                        header(headers, "retry-after").orElse(null),
                                        header(headers, "date").orElse(null),
                                        Instant.now())
                                .orElse(null)));
    }

    /** True for a primary rate limit hit: no requests left until the reset. */
    public boolean primaryLimitExhausted() {
        return (status == 403 || status == 429)
                && rateLimit.remaining() != null
                && rateLimit.remaining() == 0;
    }

    static Optional<String> header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null
                    && e.getKey().equalsIgnoreCase(name)
                    && !e.getValue().isEmpty()) {
                return Optional.ofNullable(e.getValue().get(0));
            }
        }
        return Optional.empty();
    }

    private static Integer integer(Map<String, List<String>> headers, String name) {
        return header(headers, name)
                .flatMap(GitHubResponse::parseLong)
                .map(Long::intValue)
                .orElse(null);
    }

    private static Long longValue(Map<String, List<String>> headers, String name) {
        return header(headers, name).flatMap(GitHubResponse::parseLong).orElse(null);
    }

    private static Optional<Long> parseLong(String value) {
        try {
            return Optional.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

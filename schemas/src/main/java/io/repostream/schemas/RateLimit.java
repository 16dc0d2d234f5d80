package io.repostream.schemas;

/**
 * GitHub's {@code x-ratelimit-*} and {@code retry-after} headers as seen on one response.
 *
 * @param limit {@code x-ratelimit-limit}
 * @param remaining {@code x-ratelimit-remaining}
 * @param used {@code x-ratelimit-used}
 * @param resetEpochSeconds {@code x-ratelimit-reset}
 * @param resource {@code x-ratelimit-resource} ({@code core}, {@code search}, ...)
 * @param retryAfterSeconds {@code retry-after}, on secondary limits
 */
public record RateLimit(
        Integer limit,
        Integer remaining,
        Integer used,
        Long resetEpochSeconds,
        String resource,
        Integer retryAfterSeconds) {}

package io.repostream.testkit.github;

import java.time.Instant;

/**
 * One entry of {@link GitHubSimulator#mutations()} with the instant it was applied.
 *
 * @param mutation as in {@link GitHubSimulator#mutations()}, e.g. {@code octo/widgets#1:+label:bug}
 * @param appliedAt when the simulator applied it, by the system clock
 */
public record TimedMutation(String mutation, Instant appliedAt) {}

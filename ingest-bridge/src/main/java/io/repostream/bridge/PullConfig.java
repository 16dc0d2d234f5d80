package io.repostream.bridge;

import java.time.Duration;

/**
 * Pull mode: instead of (or besides) receiving webhooks, the bridge reads the GitHub App's hook
 * deliveries ({@code GET /app/hook/deliveries}) and writes each new one as a received webhook. For
 * a bridge GitHub cannot reach (a laptop behind NAT). Uses {@code poll.api_url}, {@code poll.app}
 * and {@code poll.state_file}.
 *
 * @param enabled whether the bridge pulls
 * @param interval the least time between two pulls; GitHub's limits lengthen it
 * @param firstWindow at the first pull (no cursor yet), only deliveries this recent are read
 */
public record PullConfig(boolean enabled, Duration interval, Duration firstWindow) {
    /** GitHub keeps a hook's deliveries for three days. */
    public static final Duration GITHUB_KEEPS = Duration.ofDays(3);

    public PullConfig {
        interval = interval == null ? Duration.ofSeconds(10) : interval;
        firstWindow = firstWindow == null ? Duration.ofHours(1) : firstWindow;
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("pull.interval must be positive, got " + interval);
        }
        if (firstWindow.isNegative() || firstWindow.compareTo(GITHUB_KEEPS) > 0) {
            throw new IllegalArgumentException(
                    "pull.first_window must be between 0s and 72h (GitHub keeps three days of"
                            + " deliveries), got "
                            + firstWindow);
        }
    }

    public static PullConfig disabled() {
        return new PullConfig(false, null, null);
    }
}

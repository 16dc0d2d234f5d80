package io.repostream.flink.rules.maintenance;

import java.time.Duration;

/** Durations in words a maintainer reads: {@code 7 days}, else ISO-8601 ({@code PT36H}). */
final class Days {
    private Days() {}

    static String of(Duration d) {
        long days = d.toDays();
        if (days >= 1 && d.equals(Duration.ofDays(days))) {
            return days == 1 ? "1 day" : days + " days";
        }
        return d.toString();
    }
}

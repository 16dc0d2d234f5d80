package io.repostream.flink.rules.merge.queue;

import io.repostream.schemas.MergeQueue;
import io.repostream.schemas.MergeQueue.MergeMethod;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the queue of one base branch needs to know from its policy.
 *
 * @param base the base branch ({@code main})
 * @param requiredChecks the checks that must succeed on a candidate before it lands (at least one:
 *     without them a candidate could never be told to pass)
 * @param batchSize most pull requests tested together in one candidate
 * @param ciBudget most candidates under test at once (each one CI run); above one, candidates are
 *     stacked, each built on the one before
 * @param checkTimeout how long a candidate may wait for its first check before the queue pauses
 * @param mergeMethod merge: the base is fast-forwarded to the tested candidate; squash and rebase:
 *     each pull request is merged in order (then candidates are not stacked)
 * @param flakeAware rerun a candidate once when it failed only on checks classed flaky, transient
 *     or dependency, before bisecting it
 * @param zone the time zone of the windows
 * @param windows when landing may happen (none: always)
 * @param freezes when it may not, whatever the windows say
 */
public record QueueSettings(
        String base,
        List<String> requiredChecks,
        int batchSize,
        int ciBudget,
        Duration checkTimeout,
        MergeMethod mergeMethod,
        boolean flakeAware,
        ZoneId zone,
        List<Window> windows,
        List<Freeze> freezes) {
    public static final int DEFAULT_BATCH_SIZE = MergeQueue.Branch.DEFAULT_BATCH_SIZE;
    public static final int DEFAULT_CI_BUDGET = MergeQueue.Branch.DEFAULT_CI_BUDGET;
    public static final Duration DEFAULT_CHECK_TIMEOUT = MergeQueue.Branch.DEFAULT_CHECK_TIMEOUT;

    public QueueSettings {
        Objects.requireNonNull(base, "base");
        requiredChecks = List.copyOf(requiredChecks);
        if (requiredChecks.isEmpty()) {
            throw new IllegalArgumentException(
                    "the merge queue of " + base + " needs at least one required check");
        }
        if (batchSize < 1 || ciBudget < 1) {
            throw new IllegalArgumentException(
                    "batch_size and ci_budget must be >= 1, got " + batchSize + ", " + ciBudget);
        }
        checkTimeout = checkTimeout == null ? DEFAULT_CHECK_TIMEOUT : checkTimeout;
        mergeMethod = mergeMethod == null ? MergeMethod.MERGE : mergeMethod;
        zone = zone == null ? ZoneId.of("UTC") : zone;
        windows = windows == null ? List.of() : List.copyOf(windows);
        freezes = freezes == null ? List.of() : List.copyOf(freezes);
    }

    /** Defaults for {@code base} with these required checks. */
    public static QueueSettings of(String base, String... requiredChecks) {
        return new QueueSettings(
                base,
                List.of(requiredChecks),
                DEFAULT_BATCH_SIZE,
                DEFAULT_CI_BUDGET,
                DEFAULT_CHECK_TIMEOUT,
                MergeMethod.MERGE,
                true,
                null,
                null,
                null);
    }

    /**
     * The settings of the policy's {@code merge_queue} branch entry that matched {@code base}.
     *
     * @throws IllegalArgumentException when the entry names no required check
     */
    public static QueueSettings of(String base, MergeQueue.Branch branch) {
        return new QueueSettings(
                base,
                branch.requiredChecks(),
                branch.batchSize(),
                branch.ciBudget(),
                branch.checkTimeout(),
                branch.mergeMethod(),
                branch.flakeReruns(),
                ZoneId.of(branch.timeZone()),
                branch.windows().stream()
                        .map(w -> new Window(Set.copyOf(w.days()), w.from(), w.to()))
                        .toList(),
                branch.freezes().stream()
                        .map(f -> new Freeze(f.from(), f.until(), f.reason()))
                        .toList());
    }

    public QueueSettings withBatching(int batchSize, int ciBudget) {
        return new QueueSettings(
                base,
                requiredChecks,
                batchSize,
                ciBudget,
                checkTimeout,
                mergeMethod,
                flakeAware,
                zone,
                windows,
                freezes);
    }

    public QueueSettings withFlakeAware(boolean on) {
        return new QueueSettings(
                base,
                requiredChecks,
                batchSize,
                ciBudget,
                checkTimeout,
                mergeMethod,
                on,
                zone,
                windows,
                freezes);
    }

    public QueueSettings withMergeMethod(MergeMethod method) {
        return new QueueSettings(
                base,
                requiredChecks,
                batchSize,
                ciBudget,
                checkTimeout,
                method,
                flakeAware,
                zone,
                windows,
                freezes);
    }

    public QueueSettings withCheckTimeout(Duration timeout) {
        return new QueueSettings(
                base,
                requiredChecks,
                batchSize,
                ciBudget,
                timeout,
                mergeMethod,
                flakeAware,
                zone,
                windows,
                freezes);
    }

    public QueueSettings withCalendar(ZoneId zone, List<Window> windows, List<Freeze> freezes) {
        return new QueueSettings(
                base,
                requiredChecks,
                batchSize,
                ciBudget,
                checkTimeout,
                mergeMethod,
                flakeAware,
                zone,
                windows,
                freezes);
    }

    /** Whether pull requests may land at {@code now}: in a window (if any) and in no freeze. */
    public boolean open(Instant now) {
        for (Freeze freeze : freezes) {
            if (freeze.covers(now)) {
                return false;
            }
        }
        if (windows.isEmpty()) {
            return true;
        }
        ZonedDateTime local = now.atZone(zone);
        return windows.stream().anyMatch(w -> w.covers(local));
    }

    /** What closes the queue at {@code now}, for the notice; null when it is open. */
    public String closedBecause(Instant now) {
        for (Freeze freeze : freezes) {
            if (freeze.covers(now)) {
                return "merge freeze until " + freeze.until() + ": " + freeze.reason();
            }
        }
        return open(now) ? null : "outside the merge windows (" + zone + ")";
    }

    /**
     * Landing is allowed on {@code days} from {@code from} (inclusive) to {@code to} (exclusive).
     */
    public record Window(Set<DayOfWeek> days, LocalTime from, LocalTime to) {
        public Window {
            days = Set.copyOf(days);
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException(
                        "a merge window must start before it ends, got " + from + "-" + to);
            }
        }

        boolean covers(ZonedDateTime local) {
            LocalTime t = local.toLocalTime();
            return days.contains(local.getDayOfWeek()) && !t.isBefore(from) && t.isBefore(to);
        }
    }

    /** No landing from {@code from} (inclusive) to {@code until} (exclusive). */
    public record Freeze(Instant from, Instant until, String reason) {
        public Freeze {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(until, "until");
            reason = reason == null ? "" : reason;
        }

        boolean covers(Instant now) {
            return !now.isBefore(from) && now.isBefore(until);
        }
    }
}

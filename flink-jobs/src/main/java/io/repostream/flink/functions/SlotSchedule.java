package io.repostream.flink.functions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reserved send times (epoch ms) under a sliding-window limit: at most {@code limit} reservations
 * in any window of {@code windowMs}. Finding a slot checks every window the new reservation would
 * fall into, including ones that end in the future, so a limit is never exceeded.
 */
public final class SlotSchedule {
    private SlotSchedule() {}

    /**
     * The earliest time at or after {@code from} where one more reservation keeps every window that
     * contains it within {@code limit}; {@link Long#MAX_VALUE} when the limit is 0.
     */
    public static long earliest(List<Long> sorted, long from, long windowMs, int limit) {
        if (limit <= 0) {
            return Long.MAX_VALUE;
        }
        if (sorted.size() < limit) {
            return from;
        }
        List<Long> candidates = new ArrayList<>();
        candidates.add(from);
        for (long r : sorted) {
            if (r + windowMs > from) {
                candidates.add(r + windowMs);
            }
        }
        Collections.sort(candidates);
        for (long t : candidates) {
            if (fits(sorted, t, windowMs, limit)) {
                return t;
            }
        }
        // after the last reservation leaves its window everything fits
        return sorted.get(sorted.size() - 1) + windowMs;
    }

    /** Whether a reservation at {@code t} keeps every window containing it within the limit. */
    static boolean fits(List<Long> sorted, long t, long windowMs, int limit) {
        // the windows [s, s + windowMs) that contain t start in (t - windowMs, t]; a window's
        // count only grows when its end passes a reservation, so the fullest ones start at
        // t - windowMs + 1 or right where a later reservation enters
        if (count(sorted, t - windowMs + 1, t + 1) + 1 > limit) {
            return false;
        }
        int from = upperBound(sorted, t);
        for (int i = from; i < sorted.size() && sorted.get(i) < t + windowMs; i++) {
            long start = sorted.get(i) - windowMs + 1;
            if (count(sorted, start, start + windowMs) + 1 > limit) {
                return false;
            }
        }
        return true;
    }

    /** Reservations r with {@code from <= r < to}. */
    private static int count(List<Long> sorted, long from, long to) {
        return lowerBound(sorted, to) - lowerBound(sorted, from);
    }

    /** Index of the first element {@code >= value}. */
    private static int lowerBound(List<Long> sorted, long value) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted.get(mid) < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the first element {@code > value}. */
    private static int upperBound(List<Long> sorted, long value) {
        return value == Long.MAX_VALUE ? sorted.size() : lowerBound(sorted, value + 1);
    }

    /** Inserts {@code t} keeping the list sorted. */
    public static List<Long> with(List<Long> sorted, long t) {
        List<Long> next = new ArrayList<>(sorted);
        int i = Collections.binarySearch(next, t);
        next.add(i < 0 ? -i - 1 : i, t);
        return next;
    }

    /** Drops reservations that no longer fall into a window ending at or after {@code now}. */
    public static List<Long> prune(List<Long> sorted, long now, long windowMs) {
        int i = 0;
        while (i < sorted.size() && sorted.get(i) <= now - windowMs) {
            i++;
        }
        return i == 0 ? sorted : new ArrayList<>(sorted.subList(i, sorted.size()));
    }
}

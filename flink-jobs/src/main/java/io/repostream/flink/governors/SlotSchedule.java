package io.repostream.flink.governors;

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
        // candidates, ascending: from, then r + windowMs for each r with r + windowMs > from (the
        // moments a reservation leaves a window); the first that fits wins. A reservation at t
        // fits when the window (t - windowMs, t] has room and so has every window that ends at a
        // later reservation within windowMs: a window's count only grows when its end passes a
        // reservation, so those are the fullest windows containing t
        int n = sorted.size();
        int next = lowerBound(sorted, from - windowMs + 1);
        int lo = 0; // first r >= t - windowMs + 1
        int hi = 0; // first r > t
        long t = from;
        while (true) {
            // t only grows, so both ends of the window (t - windowMs, t] only move right
            while (lo < n && sorted.get(lo) < t - windowMs + 1) {
                lo++;
            }
            while (hi < n && sorted.get(hi) < t + 1) {
                hi++;
            }
            if (hi - lo + 1 <= limit && laterWindowsFit(sorted, hi, t, windowMs, limit)) {
                return t;
            }
            if (next >= n) {
                // after the last reservation leaves its window everything fits
                return sorted.get(n - 1) + windowMs;
            }
            t = sorted.get(next++) + windowMs;
        }
    }

    /**
     * Whether a reservation at {@code t} keeps the windows that end at the reservations after it
     * ({@code sorted} from index {@code after} on) within the limit.
     */
    private static boolean laterWindowsFit(
            List<Long> sorted, int after, long t, long windowMs, int limit) {
        for (int i = after; i < sorted.size() && sorted.get(i) < t + windowMs; i++) {
            long start = sorted.get(i) - windowMs + 1;
            if (count(sorted, start, start + windowMs) + 1 > limit) {
                return false;
            }
        }
        return true;
    }

    /** Reservations in the window that ends at {@code t}: {@code t - windowMs < r <= t}. */
    public static int inWindowEndingAt(List<Long> sorted, long t, long windowMs) {
        return count(sorted, t - windowMs + 1, t + 1);
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

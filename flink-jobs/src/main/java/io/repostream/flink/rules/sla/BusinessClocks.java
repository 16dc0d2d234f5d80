package io.repostream.flink.rules.sla;

import io.repostream.schemas.RepoPolicy.BusinessCalendar;
import java.util.HashMap;
import java.util.Map;

/**
 * Each repository's {@link BusinessClock}, built once per calendar rather than for every deadline
 * computed on the hot path. One per operator instance; not thread-safe (an operator calls it from
 * its task thread only).
 */
public final class BusinessClocks {
    private final Map<String, BusinessClock> byRepo = new HashMap<>();

    /** The clock of {@code repo}'s calendar; rebuilt when the policy brings another calendar. */
    public BusinessClock of(String repo, BusinessCalendar calendar) {
        BusinessClock clock = byRepo.get(repo);
        if (clock == null || !clock.follows(calendar)) {
            clock = new BusinessClock(calendar);
            byRepo.put(repo, clock);
        }
        return clock;
    }
}

package io.repostream.executor;

import java.time.Instant;

/**
 * The rest of an action whose mutation may not be sent yet (its installation's next write slot is
 * later, or GitHub refused it with a rate limit, which means it did not apply it): its snapshot is
 * written, and {@link #rest()} is to run at {@link #until()}. The action goes back to its lane
 * until then, held like one that is not due, so that no worker waits for it; it stays unfinished,
 * so that the committed offset stays below it.
 */
final class DeferredStep extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Instant until;
    private final transient PartitionPipeline.Step rest;

    DeferredStep(String message, Instant until, PartitionPipeline.Step rest) {
        super(message, null, false, false);
        this.until = until;
        this.rest = rest;
    }

    Instant until() {
        return until;
    }

    PartitionPipeline.Step rest() {
        return rest;
    }
}

package io.repostream.flink.rules.merge.queue;

import io.repostream.flink.rules.ci.FailureClass;

/** What the queue of one base branch reacts to; each is applied at a time given beside it. */
public sealed interface QueueInput {
    /** The eligibility rule found {@code pull} mergeable at {@code headSha}; it joins its lane. */
    record Eligible(int pull, String headSha, boolean emergency) implements QueueInput {}

    /** {@code pull} is no longer eligible (label removed, review dismissed, closed...). */
    record Ineligible(int pull, String reason) implements QueueInput {}

    /** New commits on {@code pull}: the head it was queued with is gone. */
    record HeadPushed(int pull, String headSha) implements QueueInput {}

    /** A slash command on {@code pull}, its rights already checked. */
    record Command(int pull, Verb verb) implements QueueInput {}

    /** The slash commands the queue understands. */
    enum Verb {
        /** {@code /merge}: queue again (after leaving), in the normal lane. */
        MERGE,
        /** {@code /merge --priority}: the emergency lane. */
        MERGE_PRIORITY,
        /** {@code /unqueue}: leave the queue until {@code /merge}. */
        UNQUEUE,
        /** {@code /hold}: keep the place but do not test or land. */
        HOLD,
        /** {@code /unhold}. */
        UNHOLD
    }

    /**
     * A check finished on commit {@code sha}.
     *
     * @param failureClass the CI classifier's verdict for a failure; null for a success (a failure
     *     without one counts as permanent)
     * @param runId the workflow run that reported it (0 when unknown), for a rerun
     */
    record CheckReported(
            String sha, String check, boolean success, FailureClass failureClass, long runId)
            implements QueueInput {}

    /** The executor's outcome of the step keyed {@code key} (from the audit of its action). */
    record StepOutcome(String key, Outcome outcome, String sha) implements QueueInput {}

    /** How a step ended, as far as the queue cares. */
    enum Outcome {
        /** Done; {@code sha} is the new commit where there is one (a merge). */
        DONE,
        /** 409: a merge conflict, or a pull request's head moved. */
        CONFLICT,
        /** 422 on a ref update: not a fast-forward (the base moved). */
        NOT_FAST_FORWARD,
        /** Anything else (refused, not found, permission). */
        FAILED
    }

    /** The base branch now points at {@code sha} (a push event, ours or someone's). */
    record BasePushed(String sha) implements QueueInput {}

    /** The global pause, e.g. from an operator. */
    record Pause(String reason) implements QueueInput {}

    record Resume() implements QueueInput {}

    /** Time passed (a timer): timeouts and windows are looked at again. */
    record Tick() implements QueueInput {}
}

package io.repostream.flink.governors;

import io.repostream.flink.rules.ActionPriority;
import java.util.List;

/**
 * What the installation governor ({@link InstallationRateGovernor}) remembers per installation:
 * GitHub's limits as learned so far, and the queue of writes waiting for a send slot. The queued
 * actions themselves are kept apart, by {@link Queued#seq()}, so that this index stays small.
 *
 * @param content send slots given in the last hour to content-creating actions (comments; epoch ms,
 *     sorted)
 * @param remaining GitHub's primary quota left, as last reported and counted down since; null until
 *     an audit record reported it
 * @param resetAtMs when GitHub resets the primary quota (epoch ms); null when unknown
 * @param nextSlotMs the earliest time the next write may be given (the last slot given plus the
 *     write spacing); 0 before the first
 * @param wakeAtMs the processing-time timer registered to release more of the queue; 0 when none
 * @param nextSeq the sequence number the next queued action gets (its arrival order)
 * @param queue the actions waiting for a slot, in arrival order
 */
public record InstallationGovernorState(
        List<Long> content,
        Integer remaining,
        Long resetAtMs,
        long nextSlotMs,
        long wakeAtMs,
        long nextSeq,
        List<Queued> queue) {
    public InstallationGovernorState {
        content = content == null ? List.of() : List.copyOf(content);
        queue = queue == null ? List.of() : List.copyOf(queue);
    }

    /**
     * One action waiting for its send slot.
     *
     * @param seq arrival order within the installation; the key of the queued action
     * @param rank its {@link ActionPriority}'s ordinal, or that of a later action on the same
     *     target that must not wait behind it (lower goes first)
     * @param target {@code owner/repo#number}, or {@code owner/repo kind:id} for targets other than
     *     issues and pull requests: the actions of one target leave in arrival order
     * @param readyAtMs the earliest time it may be sent: its arrival, or its {@code not_before}
     * @param expiresAtMs its {@code expires_at}, or {@link Long#MAX_VALUE}
     * @param content whether it creates content (a comment), under GitHub's creation limits
     * @param delayed whether the repo governor moved it past the time it asked for
     */
    public record Queued(
            long seq,
            int rank,
            String target,
            long readyAtMs,
            long expiresAtMs,
            boolean content,
            boolean delayed) {
        Queued withRank(int promoted) {
            return new Queued(seq, promoted, target, readyAtMs, expiresAtMs, content, delayed);
        }
    }

    static InstallationGovernorState empty() {
        return new InstallationGovernorState(List.of(), null, null, 0, 0, 0, List.of());
    }

    /**
     * The installation governor's part of what earlier versions kept in the shared {@link
     * GovernorState}: they queued nothing.
     */
    static InstallationGovernorState of(GovernorState legacy) {
        return new InstallationGovernorState(
                legacy.content(), legacy.remaining(), legacy.resetAtMs(), 0, 0, 0, List.of());
    }

    InstallationGovernorState withContent(List<Long> next) {
        return new InstallationGovernorState(
                next, remaining, resetAtMs, nextSlotMs, wakeAtMs, nextSeq, queue);
    }

    InstallationGovernorState withQuota(Integer left, Long resetAt) {
        return new InstallationGovernorState(
                content, left, resetAt, nextSlotMs, wakeAtMs, nextSeq, queue);
    }

    InstallationGovernorState withNextSlot(long next) {
        return new InstallationGovernorState(
                content, remaining, resetAtMs, next, wakeAtMs, nextSeq, queue);
    }

    InstallationGovernorState withWake(long wake) {
        return new InstallationGovernorState(
                content, remaining, resetAtMs, nextSlotMs, wake, nextSeq, queue);
    }

    InstallationGovernorState withQueue(List<Queued> next, long seq) {
        return new InstallationGovernorState(
                content, remaining, resetAtMs, nextSlotMs, wakeAtMs, seq, next);
    }
}

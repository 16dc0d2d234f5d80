package io.repostream.flink.rules.merge.queue;

/**
 * Something that happened in the queue, for the queue-state topic and metrics: a pull request
 * joined, landed or left (with the reason), a candidate started, the queue paused.
 *
 * @param pull the pull request, or 0 when it is about the queue
 */
public record QueueNotice(Kind kind, int pull, String detail) {
    public enum Kind {
        QUEUED,
        CANDIDATE,
        RERUN,
        BISECTED,
        LANDED,
        LEFT,
        REQUEUED,
        PAUSED,
        RESUMED
    }
}

package io.repostream.executor;

import io.repostream.executor.ledger.RecordWriteException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The actions of one partition of the actions topic on their way through the executor. Each action
 * joins the lane of its target ({@code owner/repo#12}): a lane runs its actions one at a time in
 * offset order, and lanes run side by side on the shared workers. Two actions on one issue never
 * overtake each other; other issues, and other partitions, do not wait for them.
 *
 * <p>An offset is finished once its action's audit record is acknowledged by Kafka. {@link
 * #committable()} is the offset below which every action is finished: the only one that may be
 * committed. When Kafka refuses a write the pipeline halts: actions that have not started are left
 * for the retry, and once nothing is in flight the consumer seeks back to {@link #committable()}
 * and {@link #restart()}s it (actions after that offset which did finish come back as duplicates
 * and are recognised by the ledger).
 *
 * <p>{@link #dispatch}, {@link #skip}, {@link #defer} and {@link #restart} belong to the consumer's
 * thread; workers and the producer's I/O thread report back through the monitor of this object.
 */
final class PartitionPipeline {

    /** What a worker does with one action: applies it and says when its audit is in Kafka. */
    @FunctionalInterface
    interface Step {
        CompletionStage<?> run();
    }

    private final TopicPartition partition;
    private final Executor workers;
    private final BooleanSupplier running;

    /** The last action handed to each target's lane; consumer thread only. */
    private final Map<String, CompletableFuture<Void>> lanes = new HashMap<>();

    /** Not due before this instant ({@code not_before}, or a pause after a failed write). */
    private Instant deferredUntil;

    // guarded by this
    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long next = -1;
    private long retryFrom = Long.MAX_VALUE;
    private RecordWriteException failure;
    private RuntimeException fatal;
    private volatile boolean halted;

    PartitionPipeline(TopicPartition partition, Executor workers, BooleanSupplier running) {
        this.partition = partition;
        this.workers = workers;
        this.running = running;
    }

    TopicPartition partition() {
        return partition;
    }

    /** Whether a record at {@code offset} is to be handled now (not halted, deferred or seen). */
    synchronized boolean accepts(long offset) {
        return !halted && deferredUntil == null && offset >= next;
    }

    /** Hands the action at {@code offset} to the lane of its target. */
    void dispatch(long offset, String target, Step step) {
        synchronized (this) {
            unfinished.add(offset);
            next = offset + 1;
        }
        CompletableFuture<Void> last = lanes.get(target);
        Runnable work = () -> run(offset, step);
        lanes.put(
                target,
                last == null
                        ? CompletableFuture.runAsync(work, workers)
                        : last.thenRunAsync(work, workers));
    }

    /** A record with nothing to apply (unreadable): it is finished as soon as it is seen. */
    synchronized void skip(long offset) {
        next = offset + 1;
    }

    /**
     * The action at {@code offset} is not due before {@code until}: nothing from it on is handled
     * until then (the caller seeks back to it), so the partition's order is kept.
     */
    void defer(long offset, Instant until) {
        synchronized (this) {
            next = offset;
        }
        deferredUntil = until;
    }

    /** Pauses the whole partition until {@code until}, e.g. after Kafka refused a write. */
    void pauseUntil(Instant until) {
        deferredUntil = until;
    }

    boolean deferred() {
        return deferredUntil != null;
    }

    /** Ends a deferral whose time has come; returns whether the partition is deferred still. */
    boolean stillDeferred(Instant now) {
        if (deferredUntil != null && !now.isBefore(deferredUntil)) {
            deferredUntil = null;
        }
        return deferredUntil != null;
    }

    /** The offset to commit: every action before it is finished; -1 when nothing was seen. */
    synchronized long committable() {
        if (next < 0) {
            return -1;
        }
        long offset = Math.min(next, retryFrom);
        return unfinished.isEmpty() ? offset : Math.min(offset, unfinished.first());
    }

    /** Actions dispatched whose audit Kafka has not acknowledged yet. */
    synchronized int inFlight() {
        return unfinished.size();
    }

    boolean halted() {
        return halted;
    }

    /** An unexpected error of a worker (not a refused write), which stops the executor. */
    synchronized RuntimeException fatal() {
        return fatal;
    }

    /** Halts dispatching; actions that have not started yet are left for whoever comes next. */
    void stop() {
        halted = true;
    }

    /**
     * After a halt, once nothing is in flight: starts again from {@link #committable()}, which the
     * caller seeks to. Returns the refused write that halted the pipeline, if one did.
     */
    synchronized RecordWriteException restart() {
        if (!unfinished.isEmpty()) {
            throw new IllegalStateException(partition + " still has actions in flight");
        }
        RecordWriteException why = failure;
        next = committable();
        retryFrom = Long.MAX_VALUE;
        failure = null;
        halted = false;
        lanes.clear();
        return why;
    }

    /** Forgets lanes with nothing queued, so that the map holds only targets in flight. */
    void tidy() {
        lanes.values().removeIf(CompletableFuture::isDone);
    }

    /** Waits until no action is in flight; returns whether that happened within {@code timeout}. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!unfinished.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized boolean idle() {
        return unfinished.isEmpty();
    }

    private void run(long offset, Step step) {
        if (halted || !running.getAsBoolean()) {
            leaveForRetry(offset, null);
            return;
        }
        CompletionStage<?> acknowledged;
        try {
            acknowledged = step.run();
        } catch (RecordWriteException e) {
            leaveForRetry(offset, e);
            return;
        } catch (RuntimeException e) {
            synchronized (this) {
                fatal = e;
            }
            leaveForRetry(offset, null);
            return;
        }
        acknowledged.whenComplete(
                (ok, error) -> {
                    if (error == null) {
                        finished(offset);
                    } else {
                        leaveForRetry(offset, writeFailure(error));
                    }
                });
    }

    private synchronized void finished(long offset) {
        unfinished.remove(offset);
        notifyAll();
    }

    private synchronized void leaveForRetry(long offset, RecordWriteException why) {
        unfinished.remove(offset);
        retryFrom = Math.min(retryFrom, offset);
        if (why != null && failure == null) {
            failure = why;
        }
        halted = true;
        notifyAll();
    }

    private static RecordWriteException writeFailure(Throwable error) {
        Throwable cause =
                error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
        return cause instanceof RecordWriteException refused
                ? refused
                : new RecordWriteException("Kafka did not acknowledge an audit record", cause);
    }
}

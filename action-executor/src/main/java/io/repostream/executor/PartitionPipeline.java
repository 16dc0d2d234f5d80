package io.repostream.executor;

import io.repostream.executor.github.RateLimitedException;
import io.repostream.executor.ledger.RecordWriteException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actions of one partition of the actions topic on their way through the executor. Each action
 * joins the lane of its target ({@code owner/repo#12}): a lane runs its actions one at a time in
 * offset order, and lanes run side by side on the shared workers. Two actions on one issue never
 * overtake each other; other issues, and other partitions, do not wait for them.
 *
 * <p>An action read before its {@code not_before} is held in its lane until then: the actions
 * behind it in that lane wait for it, every other lane goes on. It stays unfinished meanwhile, so
 * that {@link #committable()} stays below it and a restart reads it again. Held actions are dropped
 * (left for the retry) as soon as the pipeline halts or stops: they are read again from the
 * committed offset, never waited for.
 *
 * <p>So is an action whose mutation must wait (its installation's next write slot, a rate limit
 * GitHub answered it with: {@link DeferredStep}): it goes back to its lane until then with the rest
 * of its work, and its worker goes on with other lanes. Several actions dispatched as one step (add
 * labels for one item, sent as one request) are finished, held and left for the retry together.
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
    private static final Logger LOG = LoggerFactory.getLogger(PartitionPipeline.class);

    /** What a worker does with one action: applies it and says when its audit is in Kafka. */
    @FunctionalInterface
    interface Step {
        CompletionStage<?> run();
    }

    /** What is held of a partition's actions that are not due yet, for the deferral metrics. */
    record HeldSummary(int count, Duration oldest, Duration mostOverdue) {
        static final HeldSummary NONE = new HeldSummary(0, Duration.ZERO, Duration.ZERO);

        HeldSummary plus(HeldSummary other) {
            return new HeldSummary(
                    count + other.count,
                    oldest.compareTo(other.oldest) >= 0 ? oldest : other.oldest,
                    mostOverdue.compareTo(other.mostOverdue) >= 0
                            ? mostOverdue
                            : other.mostOverdue);
        }
    }

    /** An action held in its lane until {@code notBefore}; {@code due} completes then. */
    private record Held(
            Instant notBefore,
            Instant since,
            CompletableFuture<Void> due,
            ScheduledFuture<?> timer) {}

    private final TopicPartition partition;
    private final Executor workers;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final BooleanSupplier running;

    /** The last action handed to each target's lane; consumer thread only. */
    private final Map<String, CompletableFuture<Void>> lanes = new HashMap<>();

    /** Nothing is handled before this instant (a pause after a failed write). */
    private Instant pausedUntil;

    // guarded by this
    private final TreeSet<Long> unfinished = new TreeSet<>();
    private final Map<Long, Held> held = new HashMap<>();

    /** When each unfinished action was read: a held action's age counts from then. */
    private final Map<Long, Instant> readAt = new HashMap<>();

    private long next = -1;
    private long retryFrom = Long.MAX_VALUE;
    private RecordWriteException failure;
    private RuntimeException fatal;
    private volatile boolean halted;

    /**
     * @param timers wakes up held actions when they are due (it only completes futures)
     */
    PartitionPipeline(
            TopicPartition partition,
            Executor workers,
            ScheduledExecutorService timers,
            Clock clock,
            BooleanSupplier running) {
        this.partition = partition;
        this.workers = workers;
        this.timers = timers;
        this.clock = clock;
        this.running = running;
    }

    TopicPartition partition() {
        return partition;
    }

    /** Whether a record at {@code offset} is to be handled now (not halted, paused or seen). */
    synchronized boolean accepts(long offset) {
        return !halted && pausedUntil == null && offset >= next;
    }

    /** Hands the action at {@code offset} to the lane {@code lane}, to run as soon as it may. */
    void dispatch(long offset, String lane, Step step) {
        dispatch(offset, lane, null, () -> null, step);
    }

    /**
     * Hands the action at {@code offset} to the lane {@code lane}; when {@code notBefore} lies in
     * the future, the action (and whatever follows it in its lane) waits until then, and the other
     * lanes go on. So it does when, at its turn, {@code limitedUntil} names an instant to come (a
     * GitHub rate limit of its installation): it is held until then without taking a worker.
     */
    void dispatch(
            long offset,
            String lane,
            Instant notBefore,
            Supplier<Instant> limitedUntil,
            Step step) {
        dispatch(List.of(offset), lane, notBefore, limitedUntil, step);
    }

    /**
     * Hands the actions at {@code offsets} (of one lane, ascending; other lanes' actions may lie
     * between them, and may have been handed over before them) to the lane as one step, which
     * applies them together (labels coalesced into one request): they are finished, or left for the
     * retry, together, and held under the first one's offset, so that {@link #committable()} stays
     * below the lowest of them until then.
     */
    void dispatch(
            List<Long> offsets,
            String lane,
            Instant notBefore,
            Supplier<Instant> limitedUntil,
            Step step) {
        long offset = offsets.get(0);
        CompletableFuture<Void> due;
        synchronized (this) {
            Instant now = clock.instant();
            for (long o : offsets) {
                unfinished.add(o);
                readAt.put(o, now);
            }
            next = Math.max(next, offsets.get(offsets.size() - 1) + 1);
            // a halted pipeline holds nothing more: the action is left for the retry at once
            due = notBefore == null || halted ? null : hold(offset, notBefore);
        }
        CompletableFuture<Void> last = lanes.get(lane);
        CompletableFuture<Void> ready =
                due == null ? last : last == null ? due : last.thenCombine(due, (a, b) -> null);
        boolean wasHeld = due != null;
        lanes.put(
                lane,
                ready == null
                        ? CompletableFuture.supplyAsync(
                                        () -> start(offsets, step, wasHeld, limitedUntil), workers)
                                .thenCompose(started -> started)
                        : ready.thenComposeAsync(
                                v -> start(offsets, step, wasHeld, limitedUntil), workers));
    }

    /**
     * Holds the action at {@code offset} until {@code until}: returns what completes then (or when
     * the pipeline halts), or null when that time has come already. Caller holds the monitor.
     */
    private CompletableFuture<Void> hold(long offset, Instant until) {
        Instant now = clock.instant();
        if (!now.isBefore(until)) {
            return null;
        }
        CompletableFuture<Void> due = new CompletableFuture<>();
        long delay = Duration.between(now, until).toMillis() + 1;
        ScheduledFuture<?> timer =
                timers.schedule(() -> due.complete(null), delay, TimeUnit.MILLISECONDS);
        held.put(offset, new Held(until, readAt.getOrDefault(offset, now), due, timer));
        return due;
    }

    /**
     * Runs the action at {@code offset} when its lane's turn has come, unless its installation is
     * rate limited: then holds it (the lane goes on once it has run). Returns when the lane may go
     * on.
     */
    private CompletableFuture<Void> start(
            List<Long> offsets, Step step, boolean wasHeld, Supplier<Instant> limitedUntil) {
        long offset = offsets.get(0);
        if (wasHeld) {
            synchronized (this) {
                held.remove(offset);
            }
        }
        if (!halted && running.getAsBoolean()) {
            Instant until = limitOf(limitedUntil);
            CompletableFuture<Void> due = null;
            if (until != null) {
                synchronized (this) {
                    due = halted ? null : hold(offset, until);
                }
            }
            if (due != null) {
                return due.thenComposeAsync(v -> start(offsets, step, true, limitedUntil), workers);
            }
        }
        Retry retry = run(offsets, step);
        if (retry == null) {
            return CompletableFuture.completedFuture(null);
        }
        // its first request met a rate limit, or its mutation must wait for a write slot or a
        // limit: held again, the worker goes to other lanes
        CompletableFuture<Void> due;
        synchronized (this) {
            // a halted pipeline holds nothing: the next start leaves it for the retry
            due = halted ? null : hold(offset, retry.at());
        }
        return (due == null ? CompletableFuture.<Void>completedFuture(null) : due)
                .thenComposeAsync(
                        v -> start(offsets, retry.step(), due != null, limitedUntil), workers);
    }

    /** What to run again, and when: the whole action, or the rest of it after its snapshot. */
    private record Retry(Instant at, Step step) {}

    /** Until when the action's installation is limited; a failure to tell holds nothing. */
    private Instant limitOf(Supplier<Instant> limitedUntil) {
        try {
            return limitedUntil.get();
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not tell whether an action of {} is rate limited: {}",
                    partition,
                    e.toString());
            return null;
        }
    }

    /** A record with nothing to apply (unreadable): it is finished as soon as it is seen. */
    synchronized void skip(long offset) {
        next = Math.max(next, offset + 1);
    }

    /** Pauses the whole partition until {@code until}, e.g. after Kafka refused a write. */
    void pauseUntil(Instant until) {
        pausedUntil = until;
    }

    /** Ends a pause whose time has come; returns whether the partition is paused still. */
    boolean stillPaused(Instant now) {
        if (pausedUntil != null && !now.isBefore(pausedUntil)) {
            pausedUntil = null;
        }
        return pausedUntil != null;
    }

    /** Actions held until their {@code not_before} that have not started yet. */
    synchronized int held() {
        return held.size();
    }

    /**
     * How many actions are held, how long the oldest has been, and how far the most overdue is past
     * its {@code not_before} (an action whose time came but whose lane has not started it).
     */
    synchronized HeldSummary heldSummary() {
        if (held.isEmpty()) {
            return HeldSummary.NONE;
        }
        Instant now = clock.instant();
        Duration oldest = Duration.ZERO;
        Duration overdue = Duration.ZERO;
        for (Held h : held.values()) {
            Duration age = Duration.between(h.since(), now);
            Duration late = Duration.between(h.notBefore(), now);
            oldest = age.compareTo(oldest) > 0 ? age : oldest;
            overdue = late.compareTo(overdue) > 0 ? late : overdue;
        }
        return new HeldSummary(held.size(), oldest, overdue);
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

    /**
     * Halts dispatching; actions that have not started yet, held ones included, are left for
     * whoever comes next.
     */
    synchronized void stop() {
        halted = true;
        releaseHeld();
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
        held.clear();
        readAt.clear();
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

    /**
     * Runs the step; returns when to run it again if GitHub rate limited its first requests (it
     * changed nothing then), or what is left of it and when to run that if its mutation must wait
     * (a write slot, a rate limit GitHub refused it with); else null.
     */
    private Retry run(List<Long> offsets, Step step) {
        long offset = offsets.get(0);
        if (halted || !running.getAsBoolean()) {
            leaveForRetry(offsets, null);
            return null;
        }
        CompletionStage<?> acknowledged;
        try {
            acknowledged = step.run();
        } catch (RateLimitedException e) {
            LOG.info(
                    "{} offset {}: {}; held in its lane until then",
                    partition,
                    offset,
                    e.getMessage());
            return new Retry(e.until(), step);
        } catch (DeferredStep e) {
            LOG.debug(
                    "{} offset {}: {}; held in its lane until then",
                    partition,
                    offset,
                    e.getMessage());
            return new Retry(e.until(), e.rest());
        } catch (RecordWriteException e) {
            leaveForRetry(offsets, e);
            return null;
        } catch (RuntimeException e) {
            synchronized (this) {
                fatal = e;
            }
            leaveForRetry(offsets, null);
            return null;
        }
        acknowledged.whenComplete(
                (ok, error) -> {
                    if (error == null) {
                        finished(offsets);
                    } else {
                        leaveForRetry(offsets, writeFailure(error));
                    }
                });
        return null;
    }

    private synchronized void finished(List<Long> offsets) {
        for (long offset : offsets) {
            unfinished.remove(offset);
            readAt.remove(offset);
        }
        notifyAll();
    }

    private synchronized void leaveForRetry(List<Long> offsets, RecordWriteException why) {
        for (long offset : offsets) {
            unfinished.remove(offset);
            readAt.remove(offset);
        }
        retryFrom = Math.min(retryFrom, offsets.get(0));
        if (why != null && failure == null) {
            failure = why;
        }
        halted = true;
        releaseHeld();
        notifyAll();
    }

    /**
     * Lets every held action run at once: a halted pipeline leaves it for the retry (it is read
     * again from the committed offset) instead of keeping it, and the drain, waiting.
     */
    private void releaseHeld() {
        for (Held h : held.values()) {
            h.timer().cancel(false);
            h.due().complete(null);
        }
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

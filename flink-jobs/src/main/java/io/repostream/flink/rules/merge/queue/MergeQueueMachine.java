package io.repostream.flink.rules.merge.queue;

import io.repostream.flink.rules.ci.FailureClass;
import io.repostream.flink.rules.merge.queue.QueueInput.BasePushed;
import io.repostream.flink.rules.merge.queue.QueueInput.CheckReported;
import io.repostream.flink.rules.merge.queue.QueueInput.Command;
import io.repostream.flink.rules.merge.queue.QueueInput.Eligible;
import io.repostream.flink.rules.merge.queue.QueueInput.HeadPushed;
import io.repostream.flink.rules.merge.queue.QueueInput.Ineligible;
import io.repostream.flink.rules.merge.queue.QueueInput.Outcome;
import io.repostream.flink.rules.merge.queue.QueueInput.Pause;
import io.repostream.flink.rules.merge.queue.QueueInput.Resume;
import io.repostream.flink.rules.merge.queue.QueueInput.StepOutcome;
import io.repostream.flink.rules.merge.queue.QueueInput.Tick;
import io.repostream.flink.rules.merge.queue.QueueNotice.Kind;
import io.repostream.flink.rules.merge.queue.QueueState.CandidateEntry;
import io.repostream.flink.rules.merge.queue.QueueState.CheckEntry;
import io.repostream.flink.rules.merge.queue.QueueState.Phase;
import io.repostream.flink.rules.merge.queue.QueueState.PullEntry;
import io.repostream.flink.rules.merge.queue.QueueState.PullStatus;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.MergeQueue.MergeMethod;
import io.repostream.schemas.TargetKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The merge queue of one repository and base branch, as a deterministic state machine: each {@link
 * QueueInput}, applied at a given time, changes its {@link QueueState} and yields the {@link
 * QueueStep}s for the executor and {@link QueueNotice}s for the queue-state topic. Plain Java, so
 * that the rule's Flink function only keeps the state, feeds inputs and emits steps.
 *
 * <p>How a pull request lands, as bors and Tide do: a candidate is built on a build branch ({@code
 * repostream/build/<base>/<n>}: a ref at the base's head, then each pull request merged into it),
 * then published as {@code repostream/queue/<base>/<n>} in one push, so CI runs once per candidate;
 * when the required checks pass, the base is fast-forwarded to it (merge method) or each pull
 * request is merged with its pinned head (squash, rebase). Up to {@code ci_budget} candidates are
 * tested at once, each built on the one before; a candidate that fails takes those after it down. A
 * failed candidate of several pull requests is split in two halves, tested in turn: when the first
 * half lands, the second is known to fail on the new base and is split again without being tested
 * whole, so a culprit among n is found in about log2(n) candidates and confirmed alone before it
 * leaves. With {@code flakeAware}, a candidate that failed only on checks the CI classifier calls
 * flaky, transient or dependency is rerun once first.
 */
public final class MergeQueueMachine {
    /** The branch candidates are built on, without CI. */
    public static final String BUILD_PREFIX = "repostream/build/";

    /** The branch CI tests a candidate on. */
    public static final String QUEUE_PREFIX = "repostream/queue/";

    private final QueueSettings settings;
    private String baseSha;
    private String pauseReason;
    private boolean pausedByTimeout;
    private long nextCandidate;
    private long nextSeq;
    private int nextGroup;
    private final TreeMap<Integer, Pull> pulls = new TreeMap<>();
    private final List<Candidate> candidates = new ArrayList<>();

    private Instant now;
    private List<QueueStep> steps;
    private List<QueueNotice> notices;

    /** What one input led to. */
    public record Transition(List<QueueStep> steps, List<QueueNotice> notices) {}

    private static final class Pull {
        final int number;
        String headSha;
        boolean emergency;
        PullStatus status;
        boolean held;
        long eligibleAt;
        long seq;
        int group;
        boolean suspect;
        int suspectAfter;

        Pull(int number) {
            this.number = number;
        }
    }

    private static final class Candidate {
        final long number;
        final int group;
        Phase phase = Phase.BUILDING;
        final List<Integer> pulls;
        int next;
        final String parentSha;
        String sha;
        long since;
        boolean rerun;
        boolean timedOut;
        boolean buildRef;
        boolean queueRef;
        String pendingKey;
        String failure;
        final Map<String, CheckEntry> checks = new LinkedHashMap<>();

        Candidate(long number, int group, List<Integer> pulls, String parentSha) {
            this.number = number;
            this.group = group;
            this.pulls = new ArrayList<>(pulls);
            this.parentSha = parentSha;
            this.sha = parentSha;
        }

        String key(String step) {
            return "c" + number + ":" + step;
        }
    }

    public MergeQueueMachine(QueueSettings settings, QueueState state) {
        this.settings = settings;
        QueueState s = state == null ? QueueState.empty() : state;
        baseSha = s.baseSha();
        pauseReason = s.pauseReason();
        pausedByTimeout = s.pausedByTimeout();
        nextCandidate = s.nextCandidate();
        nextSeq = s.nextSeq();
        nextGroup = s.nextGroup();
        for (PullEntry e : s.pulls()) {
            Pull p = new Pull(e.number());
            p.headSha = e.headSha();
            p.emergency = e.emergency();
            p.status = e.status();
            p.held = e.held();
            p.eligibleAt = e.eligibleAt();
            p.seq = e.seq();
            p.group = e.group();
            p.suspect = e.suspect();
            p.suspectAfter = e.suspectAfter();
            pulls.put(p.number, p);
        }
        for (CandidateEntry e : s.candidates()) {
            Candidate c = new Candidate(e.number(), e.group(), e.pulls(), e.parentSha());
            c.phase = e.phase();
            c.next = e.next();
            c.sha = e.sha();
            c.since = e.since();
            c.rerun = e.rerun();
            c.timedOut = e.timedOut();
            c.buildRef = e.buildRef();
            c.queueRef = e.queueRef();
            c.pendingKey = e.pendingKey();
            c.failure = e.failure();
            e.checks().forEach(check -> c.checks.put(check.name(), check));
            candidates.add(c);
        }
    }

    /** The state to keep until the next input. */
    public QueueState state() {
        List<PullEntry> pullEntries = new ArrayList<>();
        for (Pull p : pulls.values()) {
            pullEntries.add(
                    new PullEntry(
                            p.number,
                            p.headSha,
                            p.emergency,
                            p.status,
                            p.held,
                            p.eligibleAt,
                            p.seq,
                            p.group,
                            p.suspect,
                            p.suspectAfter));
        }
        List<CandidateEntry> candidateEntries = new ArrayList<>();
        for (Candidate c : candidates) {
            candidateEntries.add(
                    new CandidateEntry(
                            c.number,
                            c.group,
                            c.phase,
                            c.pulls,
                            c.next,
                            c.parentSha,
                            c.sha,
                            c.since,
                            c.rerun,
                            c.timedOut,
                            c.buildRef,
                            c.queueRef,
                            c.pendingKey,
                            c.failure,
                            new ArrayList<>(c.checks.values())));
        }
        return new QueueState(
                baseSha,
                pauseReason,
                pausedByTimeout,
                nextCandidate,
                nextSeq,
                nextGroup,
                pullEntries,
                candidateEntries);
    }

    /** Applies {@code input} at {@code at}. */
    public Transition apply(QueueInput input, Instant at) {
        now = at;
        steps = new ArrayList<>();
        notices = new ArrayList<>();
        if (input instanceof Eligible e) {
            eligible(e);
        } else if (input instanceof Ineligible e) {
            remove(e.pull(), "no longer eligible: " + e.reason(), false);
        } else if (input instanceof HeadPushed e) {
            headPushed(e);
        } else if (input instanceof Command e) {
            command(e);
        } else if (input instanceof CheckReported e) {
            checkReported(e);
        } else if (input instanceof StepOutcome e) {
            outcome(e);
        } else if (input instanceof BasePushed e) {
            basePushed(e.sha());
        } else if (input instanceof Pause e) {
            pause(e.reason(), false);
        } else if (input instanceof Resume) {
            resume();
        } else if (!(input instanceof Tick)) {
            throw new IllegalArgumentException("unknown queue input " + input);
        }
        advance();
        return new Transition(List.copyOf(steps), List.copyOf(notices));
    }

    /**
     * When the queue wants a {@link Tick} next: the earliest check timeout of a candidate under
     * test (null: none). Windows and freezes are looked at on every input; a rule that uses them
     * also ticks when a window opens.
     */
    public Instant nextDeadline() {
        return candidates.stream()
                .filter(c -> c.phase == Phase.TESTING && c.checks.isEmpty() && !c.timedOut)
                .map(c -> Instant.ofEpochMilli(c.since).plus(settings.checkTimeout()))
                .min(Comparator.naturalOrder())
                .orElse(null);
    }

    /** The pull requests waiting, in the order they would be tested. */
    public List<Integer> waiting() {
        return ordered().stream().map(p -> p.number).toList();
    }

    /** The pull requests of each candidate, oldest candidate first. */
    public List<List<Integer>> candidatePulls() {
        return candidates.stream().map(c -> List.copyOf(c.pulls)).toList();
    }

    // ---- inputs ---------------------------------------------------------------------------

    private void eligible(Eligible e) {
        Pull p = pulls.get(e.pull());
        if (p != null && p.headSha.equals(e.headSha())) {
            if (e.emergency() && !p.emergency && p.status == PullStatus.WAITING) {
                p.emergency = true;
            }
            return; // already known at this head: queued, or out until /merge
        }
        if (p != null) {
            remove(p.number, "new head " + shortSha(e.headSha()), true);
        }
        enqueue(e.pull(), e.headSha(), e.emergency());
    }

    private void enqueue(int number, String headSha, boolean emergency) {
        Pull p = new Pull(number);
        p.headSha = headSha;
        p.emergency = emergency;
        p.status = PullStatus.WAITING;
        p.eligibleAt = now.toEpochMilli();
        p.seq = nextSeq++;
        pulls.put(number, p);
        notices.add(new QueueNotice(Kind.QUEUED, number, emergency ? "emergency" : "normal"));
    }

    private void headPushed(HeadPushed e) {
        Pull p = pulls.get(e.pull());
        if (p == null || p.headSha.equals(e.headSha())) {
            return;
        }
        boolean queued = p.status != PullStatus.OUT;
        remove(p.number, "new commits were pushed (" + shortSha(e.headSha()) + ")", false);
        if (queued) {
            comment(
                    p.number,
                    "left the merge queue: new commits were pushed after it was queued (head "
                            + shortSha(e.headSha())
                            + "). It joins again once it is eligible at the new head.");
        }
    }

    /** Forgets {@code number}, taking down the candidate it is in. */
    private void remove(int number, String reason, boolean quiet) {
        Pull p = pulls.get(number);
        if (p == null || landing(number)) {
            return; // too late: a landing under way finishes (a moved head is refused by GitHub)
        }
        takeOutOfCandidates(number);
        pulls.remove(number);
        if (!quiet && p.status != PullStatus.OUT) {
            notices.add(new QueueNotice(Kind.LEFT, number, reason));
        }
    }

    private boolean landing(int number) {
        return candidates.stream()
                .anyMatch(c -> c.phase == Phase.LANDING && c.pulls.contains(number));
    }

    private void command(Command e) {
        Pull p = pulls.get(e.pull());
        switch (e.verb()) {
            case MERGE, MERGE_PRIORITY -> {
                boolean priority = e.verb() == QueueInput.Verb.MERGE_PRIORITY;
                if (p == null) {
                    comment(
                            e.pull(),
                            "cannot queue: it is not eligible yet (see the repostream/merge"
                                    + " check).");
                    return;
                }
                if (p.status == PullStatus.OUT) {
                    p.status = PullStatus.WAITING;
                    p.seq = nextSeq++;
                    p.eligibleAt = now.toEpochMilli();
                    p.group = 0;
                    p.suspect = false;
                    p.suspectAfter = 0;
                    p.emergency = priority;
                    notices.add(
                            new QueueNotice(
                                    Kind.REQUEUED, p.number, priority ? "emergency" : "normal"));
                } else if (priority && !p.emergency) {
                    p.emergency = true;
                    notices.add(new QueueNotice(Kind.REQUEUED, p.number, "emergency"));
                }
            }
            case UNQUEUE -> {
                if (p == null || p.status == PullStatus.OUT) {
                    return;
                }
                takeOutOfCandidates(p.number);
                p.status = PullStatus.OUT;
                p.group = 0;
                notices.add(new QueueNotice(Kind.LEFT, p.number, "/unqueue"));
            }
            case HOLD -> {
                if (p == null || p.held) {
                    return;
                }
                takeOutOfCandidates(p.number);
                p.held = true;
            }
            case UNHOLD -> {
                if (p != null) {
                    p.held = false;
                }
            }
        }
    }

    private void checkReported(CheckReported e) {
        Candidate c = null;
        for (Candidate candidate : candidates) {
            if (e.sha().equals(candidate.sha) && candidate.queueRef) {
                c = candidate;
            }
        }
        if (c == null || !settings.requiredChecks().contains(e.check())) {
            return;
        }
        if (c.timedOut) {
            c.timedOut = false;
            if (pausedByTimeout) {
                resume();
            }
        }
        if (c.phase != Phase.TESTING) {
            return; // a late report of a candidate already judged
        }
        FailureClass cls =
                e.success()
                        ? null
                        : (e.failureClass() == null ? FailureClass.PERMANENT : e.failureClass());
        c.checks.put(e.check(), new CheckEntry(e.check(), e.success(), cls, e.runId()));
        judge(c);
        if (c.phase == Phase.FAILED) {
            // those stacked on it hold its pull requests too: no use testing them further
            takeDownFrom(candidates.indexOf(c) + 1, null);
        }
    }

    /** Decides a candidate under test when its checks say enough. */
    private void judge(Candidate c) {
        List<CheckEntry> failed = c.checks.values().stream().filter(ch -> !ch.success()).toList();
        boolean allReported = c.checks.keySet().containsAll(settings.requiredChecks());
        if (failed.isEmpty()) {
            if (allReported) {
                c.phase = Phase.PASSED;
            }
            return;
        }
        boolean allRetryable = failed.stream().allMatch(ch -> ch.failureClass().retryable());
        if (allRetryable && settings.flakeAware() && !c.rerun) {
            if (!allReported) {
                return; // a permanent failure may still come: no rerun before it is known
            }
            rerun(c, failed);
            return;
        }
        c.phase = Phase.FAILED;
        c.failure =
                failed.stream()
                        .map(ch -> ch.name() + " (" + ch.failureClass().wireName() + ")")
                        .collect(Collectors.joining(", "));
        if (c.rerun && allRetryable) {
            c.failure += ", again on a rerun";
        }
    }

    private void rerun(Candidate c, List<CheckEntry> failed) {
        c.rerun = true;
        c.since = now.toEpochMilli();
        Set<Long> runs = new LinkedHashSet<>();
        for (CheckEntry ch : failed) {
            c.checks.remove(ch.name());
            runs.add(ch.runId());
        }
        for (long run : runs) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("sha", c.sha);
            params.put("ref", QUEUE_PREFIX + settings.base() + "/" + c.number);
            steps.add(
                    new QueueStep(
                            c.key("rerun:" + run),
                            ActionType.RERUN_FAILED_JOBS,
                            TargetKind.WORKFLOW_RUN,
                            Long.toString(run),
                            params));
        }
        notices.add(
                new QueueNotice(
                        Kind.RERUN,
                        0,
                        "candidate "
                                + c.number
                                + " failed only on "
                                + failed.stream().map(CheckEntry::name).toList()
                                + " classed flaky or transient: rerun once"));
    }

    private void outcome(StepOutcome e) {
        Candidate c = null;
        for (Candidate candidate : candidates) {
            if (e.key().equals(candidate.pendingKey)) {
                c = candidate;
            }
        }
        if (c == null) {
            return; // the outcome of a step of a candidate since taken down, or a delete
        }
        c.pendingKey = null;
        String step = e.key().substring(e.key().indexOf(':') + 1);
        if (step.equals("build")) {
            if (e.outcome() != Outcome.DONE) {
                giveUp(c, "could not create its build branch (" + e.outcome() + ")");
                return;
            }
            c.buildRef = true;
            mergeNext(c);
        } else if (step.startsWith("merge:")) {
            int number = c.pulls.get(c.next);
            if (e.outcome() == Outcome.DONE) {
                if (e.sha() != null) {
                    c.sha = e.sha();
                }
                c.next++;
            } else {
                c.pulls.remove(c.next);
                String others =
                        c.pulls.subList(0, c.next).isEmpty()
                                ? ""
                                : " or with #"
                                        + c.pulls.subList(0, c.next).stream()
                                                .map(String::valueOf)
                                                .collect(Collectors.joining(", #"));
                evict(
                        number,
                        e.outcome() == Outcome.CONFLICT
                                ? "it has a merge conflict with " + settings.base() + others
                                : "merging it into the candidate failed (" + e.outcome() + ")");
            }
            mergeNext(c);
        } else if (step.equals("ref")) {
            if (e.outcome() != Outcome.DONE) {
                giveUp(c, "could not create its candidate branch (" + e.outcome() + ")");
                return;
            }
            c.queueRef = true;
            c.phase = Phase.TESTING;
            c.since = now.toEpochMilli();
            deleteRef(c.key("build:delete"), BUILD_PREFIX + settings.base() + "/" + c.number);
            c.buildRef = false;
        } else if (step.equals("land")) {
            landOutcome(c, e);
        } else if (step.startsWith("land:")) {
            landPullOutcome(c, e);
        }
    }

    private void landOutcome(Candidate c, StepOutcome e) {
        if (e.outcome() == Outcome.DONE) {
            baseSha = c.sha;
            for (int number : c.pulls) {
                landed(number);
            }
            finish(c);
            return;
        }
        if (e.outcome() == Outcome.NOT_FAST_FORWARD) {
            baseSha = null; // known again at the base's next push
            takeDownFrom(0, "the base " + settings.base() + " moved: candidates rebuilt");
            return;
        }
        giveUp(c, "landing was refused (" + e.outcome() + ")");
    }

    private void landPullOutcome(Candidate c, StepOutcome e) {
        int number = c.pulls.get(c.next);
        if (e.outcome() == Outcome.DONE) {
            baseSha = e.sha(); // null: known again at the base's next push
            landed(number);
            c.next++;
            if (c.next < c.pulls.size()) {
                landPull(c);
            } else {
                finish(c);
            }
            return;
        }
        c.pulls.remove(c.next);
        evict(number, "GitHub refused to merge it (" + e.outcome() + ")");
        if (c.next > 0) {
            baseSha = null; // the others landed on a base that is no longer the one tested
        }
        takeDownFrom(0, "a merge of the candidate was refused");
    }

    private void basePushed(String sha) {
        if (sha.equals(baseSha)) {
            return;
        }
        for (Candidate c : candidates) {
            if (c.phase == Phase.LANDING && sha.equals(c.sha)) {
                return; // our own fast-forward, seen before its audit
            }
        }
        boolean landing = candidates.stream().anyMatch(c -> c.phase == Phase.LANDING);
        baseSha = sha;
        if (!landing && !candidates.isEmpty()) {
            takeDownFrom(0, "the base " + settings.base() + " moved to " + shortSha(sha));
        }
    }

    private void pause(String reason, boolean byTimeout) {
        if (pauseReason != null && !pausedByTimeout) {
            return;
        }
        pauseReason = reason;
        pausedByTimeout = byTimeout;
        notices.add(new QueueNotice(Kind.PAUSED, 0, reason));
    }

    private void resume() {
        if (pauseReason == null) {
            return;
        }
        pauseReason = null;
        pausedByTimeout = false;
        notices.add(new QueueNotice(Kind.RESUMED, 0, ""));
    }

    // ---- moving on ------------------------------------------------------------------------

    /** Lands, bisects, times out and starts candidates until nothing more can happen now. */
    private void advance() {
        timeouts();
        for (int guard = 0; guard < 10_000; guard++) {
            if (!step()) {
                return;
            }
        }
        throw new IllegalStateException("merge queue of " + settings.base() + " did not settle");
    }

    private boolean step() {
        if (!candidates.isEmpty()) {
            Candidate front = candidates.get(0);
            if (front.phase == Phase.FAILED) {
                failed(front);
                return true;
            }
            if (front.phase == Phase.PASSED && front.pendingKey == null && mayLand()) {
                land(front);
                return true;
            }
            if (front.phase == Phase.TESTING && mayLand() && landThroughPassed()) {
                return true;
            }
        }
        return startNext();
    }

    /**
     * A stacked candidate that passed while those under it are still under test (or being rerun
     * after a flaky failure) tested their pull requests too: its tree holds them all. They land
     * together at once, by fast-forwarding the base to it, without waiting for the runs under it.
     */
    private boolean landThroughPassed() {
        int passed = -1;
        for (int i = 1; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            if (c.phase == Phase.PASSED && c.pendingKey == null) {
                passed = i;
            } else if (c.phase != Phase.TESTING) {
                break;
            }
        }
        if (passed < 0) {
            return false;
        }
        Candidate through = candidates.get(passed);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < passed; i++) {
            Candidate under = candidates.get(0);
            all.addAll(under.pulls);
            candidates.remove(0);
            deleteRefs(under);
        }
        all.addAll(through.pulls);
        through.pulls.clear();
        through.pulls.addAll(all);
        notices.add(
                new QueueNotice(
                        Kind.CANDIDATE,
                        0,
                        "candidate "
                                + through.number
                                + " passed with those under it still running: "
                                + all
                                + " land together"));
        land(through);
        return true;
    }

    private boolean mayLand() {
        return pauseReason == null && settings.open(now);
    }

    private void timeouts() {
        for (Candidate c : candidates) {
            if (c.phase != Phase.TESTING || !c.checks.isEmpty() || c.timedOut) {
                continue;
            }
            if (now.toEpochMilli() - c.since < settings.checkTimeout().toMillis()) {
                continue;
            }
            c.timedOut = true;
            String reason =
                    "no check reported on "
                            + QUEUE_PREFIX
                            + settings.base()
                            + "/"
                            + c.number
                            + " within "
                            + settings.checkTimeout().toMinutes()
                            + " min: CI must run on pushes to "
                            + QUEUE_PREFIX
                            + "**";
            pause(reason, true);
            for (int number : c.pulls) {
                comment(number, "the merge queue is paused: " + reason + ".");
            }
        }
    }

    /** Starts the next candidate if budget, base, calendar and the waiting list allow. */
    private boolean startNext() {
        if (baseSha == null || pauseReason != null) {
            return false; // outside the windows candidates are still tested, and land at opening
        }
        int budget = settings.mergeMethod() == MergeMethod.MERGE ? settings.ciBudget() : 1;
        if (candidates.size() >= budget) {
            return false;
        }
        String parent = baseSha;
        if (!candidates.isEmpty()) {
            Candidate last = candidates.get(candidates.size() - 1);
            if (last.group != 0 || !last.queueRef || last.phase == Phase.FAILED) {
                return false; // bisection goes one candidate at a time; stack on built ones
            }
            parent = last.sha;
        }
        List<Pull> order = ordered();
        if (order.isEmpty()) {
            return false;
        }
        Pull head = order.get(0);
        List<Pull> batch = new ArrayList<>();
        if (head.group != 0) {
            if (!candidates.isEmpty()) {
                return false;
            }
            for (Pull p : order) {
                if (p.group == head.group) {
                    batch.add(p);
                }
            }
            if (head.suspect && batch.size() > 1) {
                split(batch, "known to fail on the new base");
                return true;
            }
        } else {
            for (Pull p : order) {
                if (p.group != 0 || p.emergency != head.emergency) {
                    break;
                }
                batch.add(p);
                if (batch.size() == settings.batchSize()) {
                    break;
                }
            }
        }
        Candidate c =
                new Candidate(
                        nextCandidate++,
                        head.group,
                        batch.stream().map(p -> p.number).toList(),
                        parent);
        batch.forEach(p -> p.status = PullStatus.TESTING);
        candidates.add(c);
        Map<String, String> params = Map.of("sha", parent);
        steps.add(
                new QueueStep(
                        c.key("build"),
                        ActionType.CREATE_REF,
                        TargetKind.REF,
                        "refs/heads/" + BUILD_PREFIX + settings.base() + "/" + c.number,
                        params));
        c.pendingKey = c.key("build");
        notices.add(new QueueNotice(Kind.CANDIDATE, 0, "candidate " + c.number + ": " + c.pulls));
        return true;
    }

    /** Waiting pull requests, not held: emergency lane first, then first come first served. */
    private List<Pull> ordered() {
        return pulls.values().stream()
                .filter(p -> p.status == PullStatus.WAITING && !p.held)
                .sorted(
                        Comparator.comparing((Pull p) -> !p.emergency)
                                .thenComparingLong(p -> p.seq))
                .toList();
    }

    private void mergeNext(Candidate c) {
        String build = BUILD_PREFIX + settings.base() + "/" + c.number;
        if (c.next < c.pulls.size()) {
            Pull p = pulls.get(c.pulls.get(c.next));
            Map<String, String> params = new LinkedHashMap<>();
            params.put("head", p.headSha);
            params.put("commit_message", "Merge #" + p.number + " into the merge queue");
            String key = c.key("merge:" + p.number);
            steps.add(
                    new QueueStep(
                            key,
                            ActionType.MERGE_BRANCH,
                            TargetKind.REF,
                            "refs/heads/" + build,
                            params));
            c.pendingKey = key;
            return;
        }
        if (c.pulls.isEmpty()) {
            deleteRef(c.key("build:delete"), build);
            candidates.remove(c);
            return;
        }
        steps.add(
                new QueueStep(
                        c.key("ref"),
                        ActionType.CREATE_REF,
                        TargetKind.REF,
                        "refs/heads/" + QUEUE_PREFIX + settings.base() + "/" + c.number,
                        Map.of("sha", c.sha)));
        c.pendingKey = c.key("ref");
    }

    private void land(Candidate c) {
        c.phase = Phase.LANDING;
        c.next = 0;
        if (settings.mergeMethod() == MergeMethod.MERGE) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("sha", c.sha);
            params.put("force", "false");
            steps.add(
                    new QueueStep(
                            c.key("land"),
                            ActionType.UPDATE_REF,
                            TargetKind.REF,
                            "refs/heads/" + settings.base(),
                            params));
            c.pendingKey = c.key("land");
            return;
        }
        landPull(c);
    }

    private void landPull(Candidate c) {
        Pull p = pulls.get(c.pulls.get(c.next));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("head_sha", p.headSha);
        params.put("merge_method", settings.mergeMethod().wireName());
        String key = c.key("land:" + p.number);
        steps.add(
                new QueueStep(
                        key,
                        ActionType.MERGE_PULL_REQUEST,
                        TargetKind.PULL_REQUEST,
                        Integer.toString(p.number),
                        params));
        c.pendingKey = key;
    }

    private void landed(int number) {
        Pull p = pulls.remove(number);
        if (p == null) {
            return;
        }
        notices.add(
                new QueueNotice(
                        Kind.LANDED,
                        number,
                        "after " + (now.toEpochMilli() - p.eligibleAt) / 1000 + " s"));
    }

    /** A landed candidate: its branch goes, and a bisection group beside it becomes suspect. */
    private void finish(Candidate c) {
        deleteRef(c.key("queue:delete"), QUEUE_PREFIX + settings.base() + "/" + c.number);
        candidates.remove(c);
        if (c.group != 0) {
            for (Pull p : pulls.values()) {
                if (p.suspectAfter == c.group) {
                    p.suspect = true;
                    p.suspectAfter = 0;
                }
            }
        }
    }

    /** The front candidate failed for good: those after it go back, it is bisected or leaves. */
    private void failed(Candidate c) {
        takeDownFrom(1, null);
        candidates.remove(c);
        deleteRefs(c);
        if (c.group != 0) {
            for (Pull p : pulls.values()) {
                if (p.suspectAfter == c.group) {
                    p.suspectAfter = 0; // its failure says nothing about them
                }
            }
        }
        List<Pull> members = c.pulls.stream().map(pulls::get).toList();
        if (members.size() == 1) {
            evict(members.get(0).number, "its candidate failed: " + c.failure);
            return;
        }
        members.forEach(p -> p.status = PullStatus.WAITING);
        split(members, "candidate " + c.number + " failed: " + c.failure);
    }

    /**
     * Splits a failed group in two halves, tested in turn; the second is suspect if the first
     * lands.
     */
    private void split(List<Pull> members, String why) {
        int half = (members.size() + 1) / 2;
        int first = nextGroup++;
        int second = nextGroup++;
        for (int i = 0; i < members.size(); i++) {
            Pull p = members.get(i);
            p.group = i < half ? first : second;
            p.suspect = false;
            p.suspectAfter = i < half ? 0 : first;
        }
        notices.add(
                new QueueNotice(
                        Kind.BISECTED,
                        0,
                        why
                                + ": "
                                + members.subList(0, half).stream().map(p -> p.number).toList()
                                + " | "
                                + members.subList(half, members.size()).stream()
                                        .map(p -> p.number)
                                        .toList()));
    }

    /** A step of candidate {@code c} failed in a way the queue cannot fix: it stops and says so. */
    private void giveUp(Candidate c, String why) {
        takeDownFrom(candidates.indexOf(c), null);
        pause("candidate " + c.number + " " + why, false);
    }

    /** Takes down the candidate holding {@code number} and every one after it. */
    private void takeOutOfCandidates(int number) {
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            if (c.pulls.contains(number)) {
                if (c.phase != Phase.LANDING) {
                    takeDownFrom(i, null);
                }
                return;
            }
        }
    }

    /** Takes down candidates from index {@code from} on; their pull requests wait again. */
    private void takeDownFrom(int from, String why) {
        if (from < 0) {
            return;
        }
        for (int i = candidates.size() - 1; i >= from; i--) {
            Candidate c = candidates.remove(i);
            deleteRefs(c);
            for (int number : c.pulls) {
                Pull p = pulls.get(number);
                if (p != null && p.status == PullStatus.TESTING) {
                    p.status = PullStatus.WAITING;
                }
            }
        }
        if (why != null) {
            notices.add(new QueueNotice(Kind.BISECTED, 0, why));
        }
    }

    private void deleteRefs(Candidate c) {
        if (c.buildRef || (c.phase == Phase.BUILDING && c.pendingKey != null)) {
            deleteRef(c.key("build:delete"), BUILD_PREFIX + settings.base() + "/" + c.number);
        }
        if (c.queueRef || c.key("ref").equals(c.pendingKey)) {
            deleteRef(c.key("queue:delete"), QUEUE_PREFIX + settings.base() + "/" + c.number);
        }
    }

    private void evict(int number, String reason) {
        Pull p = pulls.get(number);
        if (p == null) {
            return;
        }
        p.status = PullStatus.OUT;
        p.group = 0;
        p.suspect = false;
        p.suspectAfter = 0;
        notices.add(new QueueNotice(Kind.LEFT, number, reason));
        comment(
                number,
                "left the merge queue: "
                        + reason
                        + ". Fix it and comment `/merge` to queue it again.");
    }

    private void deleteRef(String key, String branch) {
        steps.add(
                new QueueStep(
                        key,
                        ActionType.DELETE_REF,
                        TargetKind.REF,
                        "refs/heads/" + branch,
                        Map.of()));
    }

    private void comment(int number, String body) {
        steps.add(
                new QueueStep(
                        "comment:" + number + ":" + now.toEpochMilli(),
                        ActionType.CREATE_COMMENT,
                        TargetKind.PULL_REQUEST,
                        Integer.toString(number),
                        Map.of("body", "repostream merge queue: " + body)));
    }

    private static String shortSha(String sha) {
        return sha == null || sha.length() < 7 ? String.valueOf(sha) : sha.substring(0, 7);
    }
}

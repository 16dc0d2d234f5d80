package io.repostream.flink.rules.merge.queue;

import io.repostream.flink.rules.ci.FailureClass;
import io.repostream.flink.rules.merge.queue.QueueInput.CheckReported;
import io.repostream.flink.rules.merge.queue.QueueInput.Outcome;
import io.repostream.flink.rules.merge.queue.QueueInput.StepOutcome;
import io.repostream.schemas.ActionType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * A small, exact world around the queue for its harness tests: refs and commits reduced to the set
 * of pull requests each commit contains, a CI that fails a candidate holding a broken pull request
 * or a broken pair, and flakes on the runs a test names. It answers each step as GitHub would and
 * reports each run's one required check ({@code build}) after {@link #CI_TIME}.
 */
final class QueueWorld {
    static final Duration CI_TIME = Duration.ofMinutes(30);
    static final String CHECK = "build";

    final MergeQueueMachine machine;
    Instant now = Instant.parse("2026-12-07T10:00:00Z");
    final Set<Integer> broken = new HashSet<>();
    final List<Set<Integer>> brokenPairs = new ArrayList<>();

    /** Pull requests whose merge into a candidate conflicts (409). */
    final Set<Integer> conflicting = new HashSet<>();

    /** Which runs (0, 1, 2... in the order they started) flake. */
    IntPredicate flaky = run -> false;

    /** Whether CI reports at all (false: runs stay silent). */
    boolean ciReports = true;

    final Map<String, Set<Integer>> contents = new HashMap<>();
    final Map<String, String> refs = new LinkedHashMap<>();
    final Map<Integer, String> heads = new HashMap<>();
    final List<QueueStep> steps = new ArrayList<>();
    final List<QueueNotice> notices = new ArrayList<>();
    final List<Set<Integer>> candidatesTested = new ArrayList<>();
    final List<Integer> landed = new ArrayList<>();
    final List<Set<Integer>> baseHistory = new ArrayList<>();
    private final List<String[]> running = new ArrayList<>(); // sha, run id
    private final List<QueueStep> pending = new ArrayList<>();
    private int runs;
    private int shaSeq;

    QueueWorld(QueueSettings settings) {
        machine = new MergeQueueMachine(settings, QueueState.empty());
        String root = sha("root");
        contents.put(root, Set.of());
        refs.put("refs/heads/" + settings.base(), root);
        apply(new QueueInput.BasePushed(root));
    }

    String base() {
        return refs.get("refs/heads/main");
    }

    String head(int pull) {
        return heads.computeIfAbsent(pull, n -> sha("pull" + n + "@" + shaSeq++));
    }

    /**
     * Makes these pull requests eligible at the same moment: the queue is paused while they come
     * (unless it is paused already), so that they can share a candidate.
     */
    void eligible(int... pullNumbers) {
        boolean wrap = machine.state().pauseReason() == null;
        if (wrap) {
            apply(new QueueInput.Pause("arriving together"));
        }
        for (int n : pullNumbers) {
            apply(new QueueInput.Eligible(n, head(n), false));
        }
        if (wrap) {
            apply(new QueueInput.Resume());
        }
    }

    void apply(QueueInput input) {
        MergeQueueMachine.Transition t = machine.apply(input, now);
        steps.addAll(t.steps());
        notices.addAll(t.notices());
        pending.addAll(t.steps());
    }

    int runs() {
        return runs;
    }

    /** Answers every step, then lets CI report, until nothing moves (bounded). */
    void settle() {
        for (int round = 0; round < 1_000; round++) {
            answerSteps();
            if (running.isEmpty() || !ciReports) {
                return;
            }
            now = now.plus(CI_TIME);
            List<String[]> due = new ArrayList<>(running);
            running.clear();
            for (String[] run : due) {
                report(run[0], Long.parseLong(run[1]));
            }
        }
        throw new AssertionError("the queue did not settle in 1000 CI rounds");
    }

    /** Answers the steps asked so far (and those they lead to), without letting time pass. */
    void answerSteps() {
        for (int guard = 0; !pending.isEmpty(); guard++) {
            if (guard > 100_000) {
                throw new AssertionError("endless steps");
            }
            QueueStep step = pending.remove(0);
            answer(step);
        }
    }

    private void answer(QueueStep step) {
        ActionType type = step.type();
        switch (type) {
            case CREATE_REF -> {
                String sha = step.param("sha");
                refs.put(step.target(), sha);
                if (step.target().contains("/" + MergeQueueMachine.QUEUE_PREFIX)) {
                    startRun(sha);
                }
                done(step, null);
            }
            case MERGE_BRANCH -> {
                int pull =
                        heads.entrySet().stream()
                                .filter(e -> e.getValue().equals(step.param("head")))
                                .findFirst()
                                .orElseThrow()
                                .getKey();
                if (conflicting.contains(pull)) {
                    apply(new StepOutcome(step.key(), Outcome.CONFLICT, null));
                    return;
                }
                String into = refs.get(step.target());
                Set<Integer> content = new LinkedHashSet<>(contents.get(into));
                content.add(pull);
                String merged = sha("merge" + shaSeq++);
                contents.put(merged, content);
                refs.put(step.target(), merged);
                done(step, merged);
            }
            case UPDATE_REF -> {
                String current = refs.get(step.target());
                String to = step.param("sha");
                if (!contents.get(to).containsAll(contents.get(current))) {
                    apply(new StepOutcome(step.key(), Outcome.NOT_FAST_FORWARD, null));
                    return;
                }
                Set<Integer> before = contents.get(current);
                refs.put(step.target(), to);
                contents.get(to).stream().filter(n -> !before.contains(n)).forEach(landed::add);
                baseHistory.add(contents.get(to));
                done(step, to);
            }
            case MERGE_PULL_REQUEST -> {
                int pull = Integer.parseInt(step.target());
                if (!step.param("head_sha").equals(heads.get(pull))) {
                    apply(new StepOutcome(step.key(), Outcome.CONFLICT, null));
                    return;
                }
                Set<Integer> content = new LinkedHashSet<>(contents.get(base()));
                content.add(pull);
                String squashed = sha("squash" + shaSeq++);
                contents.put(squashed, content);
                refs.put("refs/heads/main", squashed);
                landed.add(pull);
                baseHistory.add(content);
                done(step, squashed);
            }
            case DELETE_REF -> refs.remove(step.target());
            case RERUN_FAILED_JOBS -> startRun(step.param("sha"));
            default -> {}
        }
    }

    private void done(QueueStep step, String sha) {
        apply(new StepOutcome(step.key(), Outcome.DONE, sha));
    }

    private void startRun(String sha) {
        Set<Integer> ownContent = new LinkedHashSet<>(contents.get(sha));
        ownContent.removeAll(contents.get(base()));
        candidatesTested.add(ownContent);
        running.add(new String[] {sha, Integer.toString(runs++)});
    }

    private void report(String sha, long run) {
        Set<Integer> content = contents.get(sha);
        boolean permanent =
                content.stream().anyMatch(broken::contains)
                        || brokenPairs.stream().anyMatch(content::containsAll);
        if (permanent) {
            apply(new CheckReported(sha, CHECK, false, FailureClass.PERMANENT, run));
        } else if (flaky.test((int) run)) {
            apply(new CheckReported(sha, CHECK, false, FailureClass.FLAKY, run));
        } else {
            apply(new CheckReported(sha, CHECK, true, null, run));
        }
    }

    List<QueueStep> steps(ActionType type) {
        return steps.stream().filter(s -> s.type() == type).toList();
    }

    List<Integer> left() {
        return notices.stream()
                .filter(n -> n.kind() == QueueNotice.Kind.LEFT)
                .map(QueueNotice::pull)
                .toList();
    }

    static String sha(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-1")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

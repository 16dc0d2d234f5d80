import io.repostream.flink.rules.ci.FailureClass;
import io.repostream.flink.rules.merge.queue.MergeQueueMachine;
import io.repostream.flink.rules.merge.queue.QueueInput;
import io.repostream.flink.rules.merge.queue.QueueInput.Outcome;
import io.repostream.flink.rules.merge.queue.QueueNotice;
import io.repostream.flink.rules.merge.queue.QueueSettings;
import io.repostream.flink.rules.merge.queue.QueueState;
import io.repostream.flink.rules.merge.queue.QueueStep;
import io.repostream.testkit.github.GitHubSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merge queue's logic ({@link MergeQueueMachine}) driven on a virtual clock against the
 * GitHub simulator's git model and seeded CI (in-process, no Kafka, no Flink): 500 pull requests
 * over a working week into one base, CI 30 min per run, at most 4 runs at once, 3 % broken pull
 * requests, 5 % flaky runs, pairs that fail only together. Three ways of merging, each on a fresh
 * simulator with the same pull requests and seeds: one at a time, batches without the flake rule,
 * and the full queue. Usage: java MergeQueueBench.java [pulls=500] [seed=1] [batch=8] [budget=4]
 * [mode=week|saturated]
 */
public final class MergeQueueBench {
    static final String REPO = "acme/web";
    static final String CHECK = "build";
    static final Duration CI_TIME = Duration.ofMinutes(30);
    static final Duration REQUEUE_AFTER = Duration.ofHours(2);
    static final Duration MAX_SIMULATED = Duration.ofDays(40);
    static final long MAX_WALL_MS = 20 * 60_000L;
    static final int MAX_LOOPS = 2_000_000;

    public static void main(String[] args) throws Exception {
        int pulls = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int budget = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        String mode = args.length > 4 ? args[4] : "week";
        Workload work = Workload.generate(pulls, seed, mode.equals("saturated"));
        System.out.printf(
                "workload: %d pull requests (%s), %d broken, %d pairs failing only together,"
                        + " flaky runs 5%%, CI %d min, seed %d%n",
                pulls, mode, work.broken.size(), work.pairs.size(), CI_TIME.toMinutes(), seed);
        QueueSettings base = QueueSettings.of("main", CHECK).withCheckTimeout(Duration.ofHours(2));
        List<Result> results = new ArrayList<>();
        results.add(
                new Run("one at a time", base.withBatching(1, 1).withFlakeAware(false), work, seed)
                        .go());
        results.add(
                new Run(
                                "batches, no flake rule",
                                base.withBatching(batch, budget).withFlakeAware(false),
                                work,
                                seed)
                        .go());
        results.add(
                new Run("full queue", base.withBatching(batch, budget).withFlakeAware(true), work, seed)
                        .go());
        System.out.println();
        System.out.println(
                "| strategy | landed | left for good | landed/day | landed/day in the week |"
                        + " p50 eligible→landed | p95 | CI runs | runs per landed PR |"
                        + " max runs at once | candidates | reruns | broken landings |"
                        + " sound PRs sent out | wall s |");
        System.out.println(
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            System.out.println(r.row());
        }
        Result one = results.get(0);
        Result noFlake = results.get(1);
        Result full = results.get(2);
        System.out.printf(
                "%nthroughput full queue / one at a time: %.2fx (target >= 3x)%n",
                full.perDay / one.perDay);
        System.out.printf(
                "CI runs per landed PR: full queue %.3f vs batches without the flake rule %.3f"
                        + " (target: fewer)%n",
                full.runsPerLanded(), noFlake.runsPerLanded());
        System.out.printf(
                "broken landings: %d / %d / %d (target 0)%n",
                one.brokenLandings, noFlake.brokenLandings, full.brokenLandings);
    }

    /** The pull requests, when each becomes eligible, which are broken and which pairs clash. */
    static final class Workload {
        final List<Instant> arrivals = new ArrayList<>();
        final Set<Integer> broken = new HashSet<>(); // indexes 0..n-1
        final List<int[]> pairs = new ArrayList<>();
        final Instant start = Instant.parse("2030-01-07T00:00:00Z"); // a Monday, after any clock this runs on

        static Workload generate(int n, long seed, boolean saturated) {
            Workload w = new Workload();
            Random random = new Random(seed);
            for (int i = 0; i < n; i++) {
                if (saturated) {
                    w.arrivals.add(w.start.plus(Duration.ofHours(9)));
                    continue;
                }
                // Monday to Friday, 09:00 to 17:00 UTC, uniformly
                int day = random.nextInt(5);
                long second = 9 * 3600 + random.nextInt(8 * 3600);
                w.arrivals.add(w.start.plus(Duration.ofDays(day)).plusSeconds(second));
            }
            Collections.sort(w.arrivals);
            int brokenCount = Math.round(n * 0.03f);
            while (w.broken.size() < brokenCount) {
                w.broken.add(random.nextInt(n));
            }
            // 1 % of the pull requests (5 of 500) each form a pair with one of the next 9 that fails
            // only together (a pair far apart would have landed alone long before)
            int pairCount = Math.max(1, Math.round(n * 0.01f));
            Set<Integer> used = new HashSet<>(w.broken);
            while (w.pairs.size() < pairCount) {
                int a = random.nextInt(n - 10);
                int b = a + 1 + random.nextInt(9);
                if (used.add(a) && used.add(b)) {
                    w.pairs.add(new int[] {a, b});
                } else {
                    used.remove(a);
                }
            }
            return w;
        }
    }

    record Result(
            String name,
            QueueSettings settings,
            int landed,
            int leftForGood,
            double perDay,
            double perDayInWeek,
            double p50Hours,
            double p95Hours,
            int ciRuns,
            int maxConcurrent,
            int candidates,
            int reruns,
            int brokenLandings,
            int innocentEvictions,
            double wallSeconds) {
        double runsPerLanded() {
            return landed == 0 ? Double.NaN : (double) ciRuns / landed;
        }

        String row() {
            return String.format(
                    "| %s (batch %d, budget %d) | %d | %d | %.1f | %.1f | %.1f h | %.1f h | %d |"
                            + " %.3f | %d | %d | %d | %d | %d | %.0f |",
                    name,
                    settings.batchSize(),
                    settings.ciBudget(),
                    landed,
                    leftForGood,
                    perDay,
                    perDayInWeek,
                    p50Hours,
                    p95Hours,
                    ciRuns,
                    runsPerLanded(),
                    maxConcurrent,
                    candidates,
                    reruns,
                    brokenLandings,
                    innocentEvictions,
                    wallSeconds);
        }
    }

    /** One strategy on a fresh simulator. */
    static final class Run {
        final String name;
        final QueueSettings settings;
        final Workload work;
        final long seed;
        final MergeQueueMachine machine;
        final HttpClient http = HttpClient.newHttpClient();
        GitHubSimulator github;
        String api;
        Instant now;

        final Map<Integer, Integer> numberOf = new HashMap<>(); // index -> PR number
        final Map<Integer, Integer> indexOf = new HashMap<>();
        final Map<Integer, String> heads = new HashMap<>();
        final Map<Integer, Instant> eligibleAt = new HashMap<>();
        final Map<Integer, Instant> landedAt = new LinkedHashMap<>();
        final Set<Integer> landedSet = new HashSet<>();
        final Map<String, Set<Integer>> refContent = new HashMap<>(); // ref -> PR numbers
        final Map<String, Set<Integer>> shaContent = new HashMap<>();
        final PriorityQueue<Object[]> timers =
                new PriorityQueue<>(
                        (a, b) ->
                                a[0].equals(b[0])
                                        ? Long.compare((Long) a[3], (Long) b[3])
                                        : ((Instant) a[0]).compareTo((Instant) b[0]));
        long timerSeq; // ties in time fire in the order they were set
        final Deque<QueueStep> steps = new ArrayDeque<>();
        final Map<String, Integer> completedSeen = new HashMap<>();
        final Map<String, String> queueShas = new HashMap<>(); // candidate branch -> its SHA
        final Map<String, Integer> running = new HashMap<>();
        final Map<String, Integer> cancelled = new HashMap<>();
        int active;
        int maxActive;
        int candidates;
        int reruns;
        int brokenLandings;
        int innocentEvictions;
        final Set<Integer> brokenNumbers = new HashSet<>();
        final List<Set<Integer>> pairNumbers = new ArrayList<>();

        Run(String name, QueueSettings settings, Workload work, long seed) {
            this.name = name;
            this.settings = settings;
            this.work = work;
            this.seed = seed;
            this.machine = new MergeQueueMachine(settings, QueueState.empty());
        }

        Result go() throws Exception {
            long wallStart = System.currentTimeMillis();
            github = GitHubSimulator.start();
            try {
                github.removeLimits();
                now = github.freezeTime();
                github.advanceTime(Duration.between(now, work.start));
                now = work.start;
                github.createRepo(REPO);
                api = github.baseUrl() + "/repos/" + REPO;
                apply(new QueueInput.BasePushed(github.branchSha(REPO, "main")));
                for (int i = 0; i < work.arrivals.size(); i++) {
                    timers.add(new Object[] {work.arrivals.get(i), "arrive", i, timerSeq++});
                }
                loop(wallStart);
            } finally {
                github.close();
            }
            return result(wallStart);
        }

        private void loop(long wallStart) throws Exception {
            Instant end = work.start.plus(MAX_SIMULATED);
            int loops = 0;
            while (!timers.isEmpty() || machine.nextDeadline() != null) {
                if (++loops > MAX_LOOPS || System.currentTimeMillis() - wallStart > MAX_WALL_MS) {
                    throw new IllegalStateException(name + ": bound reached after " + loops + " loops");
                }
                Instant next = timers.isEmpty() ? null : (Instant) timers.peek()[0];
                Instant deadline = machine.nextDeadline();
                if (deadline != null && (next == null || deadline.isBefore(next))) {
                    next = deadline;
                }
                if (next.isAfter(end)) {
                    System.out.printf("%s: stopped at the bound of %s simulated%n", name, MAX_SIMULATED);
                    return;
                }
                if (next.isAfter(now)) {
                    github.advanceTime(Duration.between(now, next));
                    now = next;
                }
                if (!timers.isEmpty() && !((Instant) timers.peek()[0]).isAfter(now)) {
                    Object[] timer = timers.poll();
                    fire(timer);
                } else {
                    apply(new QueueInput.Tick());
                }
            }
        }

        private void fire(Object[] timer) throws Exception {
            switch ((String) timer[1]) {
                case "arrive" -> arrive((Integer) timer[2]);
                case "ci" -> report((String) timer[2]);
                case "requeue" -> apply(new QueueInput.Command((Integer) timer[2], QueueInput.Verb.MERGE));
                default -> throw new IllegalStateException();
            }
        }

        private void arrive(int index) {
            String branch = "pr-" + index;
            github.createBranch(REPO, branch, "main");
            String head = github.commit(REPO, branch, "change " + index, "src/module" + index + ".java");
            int number = github.openPullRequest(REPO, "PR " + index, "dev" + (index % 40), branch, "main");
            numberOf.put(index, number);
            indexOf.put(number, index);
            heads.put(number, head);
            eligibleAt.put(number, now);
            if (work.broken.contains(index)) {
                brokenNumbers.add(number);
            }
            for (int[] pair : work.pairs) {
                if (pair[1] == index) {
                    int first = numberOf.get(pair[0]);
                    pairNumbers.add(Set.of(first, number));
                }
            }
            configureCi();
            apply(new QueueInput.Eligible(number, head, false));
        }

        private void configureCi() {
            var ci =
                    github.ci()
                            .configure(REPO)
                            .onBranches(MergeQueueMachine.QUEUE_PREFIX + "**")
                            .checks(CHECK)
                            .taking(CI_TIME)
                            .flaky(0.05)
                            .seed(seed);
            brokenNumbers.forEach(ci::brokenPull);
            pairNumbers.forEach(
                    pair -> {
                        List<Integer> two = new ArrayList<>(pair);
                        ci.brokenTogether(two.get(0), two.get(1));
                    });
        }

        private void apply(QueueInput input) {
            MergeQueueMachine.Transition t = machine.apply(input, now);
            steps.addAll(t.steps());
            for (QueueNotice notice : t.notices()) {
                notice(notice);
            }
            while (!steps.isEmpty()) {
                perform(steps.poll());
            }
        }

        private void notice(QueueNotice notice) {
            switch (notice.kind()) {
                case CANDIDATE -> candidates++;
                case RERUN -> reruns++;
                case LEFT -> {
                    int number = notice.pull();
                    // the author looks: a pull request that is not broken itself is queued again
                    if (!brokenNumbers.contains(number) && !clashesWithLanded(number)) {
                        innocentEvictions++;
                        timers.add(new Object[] {now.plus(REQUEUE_AFTER), "requeue", number, timerSeq++});
                    }
                }
                default -> {}
            }
        }

        private boolean clashesWithLanded(int number) {
            for (Set<Integer> pair : pairNumbers) {
                if (pair.contains(number)) {
                    for (int other : pair) {
                        if (other != number && landedSet.contains(other)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private void perform(QueueStep step) {
            String branch = step.target().replaceFirst("^refs/heads/", "");
            switch (step.type()) {
                case CREATE_REF -> {
                    String sha = step.param("sha");
                    Http r = send("POST", "/git/refs", json("ref", step.target(), "sha", sha));
                    if (r.status == 201) {
                        Set<Integer> content = new LinkedHashSet<>(shaContent.getOrDefault(sha, Set.of()));
                        refContent.put(step.target(), content);
                        if (branch.startsWith(MergeQueueMachine.QUEUE_PREFIX)) {
                            queueShas.put(branch, sha);
                            startRun(sha);
                        }
                    }
                    outcome(step, r.status == 201 ? Outcome.DONE : Outcome.FAILED, null);
                }
                case MERGE_BRANCH -> {
                    String head = step.param("head");
                    Http r =
                            send(
                                    "POST",
                                    "/merges",
                                    json("base", branch, "head", head, "commit_message", step.param("commit_message")));
                    String sha = null;
                    if (r.status == 201) {
                        sha = field(r.body, "sha");
                        Set<Integer> content = new LinkedHashSet<>(refContent.get(step.target()));
                        content.add(pullOfHead(head));
                        refContent.put(step.target(), content);
                        shaContent.put(sha, content);
                    }
                    Outcome o =
                            r.status == 201 || r.status == 204
                                    ? Outcome.DONE
                                    : r.status == 409 ? Outcome.CONFLICT : Outcome.FAILED;
                    outcome(step, o, sha);
                }
                case UPDATE_REF -> {
                    String sha = step.param("sha");
                    Http r = send("PATCH", "/git/" + step.target(), json("sha", sha, "force", false));
                    if (r.status == 200) {
                        land(sha);
                        outcome(step, Outcome.DONE, sha);
                        apply(new QueueInput.BasePushed(sha));
                    } else {
                        outcome(step, r.status == 422 ? Outcome.NOT_FAST_FORWARD : Outcome.FAILED, null);
                    }
                }
                case DELETE_REF -> {
                    send("DELETE", "/git/" + step.target(), null);
                    cancelRun(branch);
                }
                case RERUN_FAILED_JOBS -> {
                    github.ci().rerun(REPO, step.param("sha"));
                    startRunTimer(step.param("sha"));
                }
                case CREATE_COMMENT ->
                        send("POST", "/issues/" + step.target() + "/comments", json("body", step.param("body")));
                default -> throw new IllegalStateException("the bench does not perform " + step.type());
            }
        }

        private void outcome(QueueStep step, Outcome outcome, String sha) {
            MergeQueueMachine.Transition t =
                    machine.apply(new QueueInput.StepOutcome(step.key(), outcome, sha), now);
            steps.addAll(t.steps());
            t.notices().forEach(this::notice);
        }

        private void startRun(String sha) {
            startRunTimer(sha);
        }

        /**
         * A candidate branch deleted while its run is going cancels the run, as GitHub Actions does
         * with a concurrency group and cancel-in-progress: it no longer takes a runner (the run was
         * started, and is counted).
         */
        private void cancelRun(String branch) {
            if (!branch.startsWith(MergeQueueMachine.QUEUE_PREFIX)) {
                return;
            }
            String sha = queueShas.remove(branch);
            if (sha != null && running.getOrDefault(sha, 0) > 0) {
                running.merge(sha, -1, Integer::sum);
                cancelled.merge(sha, 1, Integer::sum);
                active--;
            }
        }

        private void startRunTimer(String sha) {
            running.merge(sha, 1, Integer::sum);
            active++;
            maxActive = Math.max(maxActive, active);
            timers.add(new Object[] {now.plus(CI_TIME), "ci", sha, timerSeq++});
        }

        /** A run is due: reads its newest check from the simulator and classifies a failure. */
        private void report(String sha) {
            if (cancelled.getOrDefault(sha, 0) > 0) {
                cancelled.merge(sha, -1, Integer::sum);
                completedSeen.merge(sha, 1, Integer::sum);
                return;
            }
            running.merge(sha, -1, Integer::sum);
            active--;
            List<String> lines = github.commitChecks(REPO, sha);
            String conclusion = null;
            int completed = 0;
            for (String line : lines) {
                if (line.startsWith("check_run:" + CHECK + "=")) {
                    String value = line.substring(("check_run:" + CHECK + "=").length()).split(" ")[0];
                    if (value.equals("success") || value.equals("failure")) {
                        completed++;
                        conclusion = value;
                    }
                }
            }
            int seen = completedSeen.getOrDefault(sha, 0);
            if (completed <= seen || conclusion == null) {
                throw new IllegalStateException(name + ": no new result on " + sha + ": " + lines);
            }
            completedSeen.put(sha, completed);
            boolean success = conclusion.equals("success");
            FailureClass cls = success ? null : classify(sha);
            apply(new QueueInput.CheckReported(sha, CHECK, success, cls, 0));
        }

        /**
         * The CI classifier's verdict, here exact: permanent when the commit holds a broken pull
         * request or both of a pair, else flaky (the seeded draw failed it).
         */
        private FailureClass classify(String sha) {
            Set<Integer> content = new HashSet<>(landedSet);
            content.addAll(shaContent.getOrDefault(sha, Set.of()));
            return broken(content) ? FailureClass.PERMANENT : FailureClass.FLAKY;
        }

        private boolean broken(Set<Integer> content) {
            if (content.stream().anyMatch(brokenNumbers::contains)) {
                return true;
            }
            return pairNumbers.stream().anyMatch(content::containsAll);
        }

        private void land(String sha) {
            Set<Integer> content = shaContent.getOrDefault(sha, Set.of());
            for (int number : content) {
                if (landedSet.add(number)) {
                    landedAt.put(number, now);
                }
            }
            if (broken(landedSet)) {
                brokenLandings++;
            }
        }

        private int pullOfHead(String head) {
            for (Map.Entry<Integer, String> e : heads.entrySet()) {
                if (e.getValue().equals(head)) {
                    return e.getKey();
                }
            }
            throw new IllegalStateException("no pull request with head " + head);
        }

        private Result result(long wallStart) {
            List<Double> hours = new ArrayList<>();
            Instant last = work.start;
            Instant weekEnd = work.start.plus(Duration.ofDays(5));
            int inWeek = 0;
            for (Map.Entry<Integer, Instant> e : landedAt.entrySet()) {
                hours.add(Duration.between(eligibleAt.get(e.getKey()), e.getValue()).toSeconds() / 3600.0);
                if (e.getValue().isAfter(last)) {
                    last = e.getValue();
                }
                if (e.getValue().isBefore(weekEnd)) {
                    inWeek++;
                }
            }
            Collections.sort(hours);
            Instant first = work.arrivals.get(0);
            double days = Duration.between(first, last).toSeconds() / 86400.0;
            int leftForGood = work.arrivals.size() - landedSet.size();
            return new Result(
                    name,
                    settings,
                    landedSet.size(),
                    leftForGood,
                    landedSet.size() / days,
                    inWeek * 86400.0 / Duration.between(first, weekEnd).toSeconds(),
                    percentile(hours, 0.50),
                    percentile(hours, 0.95),
                    github == null ? 0 : runsStarted(),
                    maxActive,
                    candidates,
                    reruns,
                    brokenLandings,
                    innocentEvictions,
                    (System.currentTimeMillis() - wallStart) / 1000.0);
        }

        private int runsStarted() {
            return github.ci().runsStarted();
        }

        private static double percentile(List<Double> sorted, double q) {
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(q * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
        }

        record Http(int status, String body) {}

        private Http send(String method, String path, String body) {
            try {
                HttpRequest.Builder b =
                        HttpRequest.newBuilder(URI.create(api + path))
                                .header("Accept", "application/vnd.github+json")
                                .header("Authorization", "Bearer " + GitHubSimulator.DEFAULT_TOKEN)
                                .header("Content-Type", "application/json");
                b.method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body));
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                return new Http(r.statusCode(), r.body());
            } catch (Exception e) {
                throw new IllegalStateException(method + " " + path + ": " + e, e);
            }
        }

        private static String json(Object... keyValues) {
            StringBuilder s = new StringBuilder("{");
            for (int i = 0; i < keyValues.length; i += 2) {
                if (i > 0) {
                    s.append(',');
                }
                s.append('"').append(keyValues[i]).append("\":");
                Object v = keyValues[i + 1];
                if (v instanceof String text) {
                    s.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
                } else {
                    s.append(v);
                }
            }
            return s.append('}').toString();
        }

        private static final Pattern SHA = Pattern.compile("\"sha\"\\s*:\\s*\"([0-9a-f]{40})\"");

        private static String field(String body, String name) {
            Matcher m = SHA.matcher(body);
            if (!m.find()) {
                throw new IllegalStateException("no sha in " + body);
            }
            return m.group(1);
        }
    }
}

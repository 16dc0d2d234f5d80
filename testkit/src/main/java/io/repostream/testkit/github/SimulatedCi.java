package io.repostream.testkit.github;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A CI system for the simulator, configured per repository: on a push to a branch that matches one
 * of its patterns ({@code repostream/queue/**}), it reports each required check on the pushed SHA
 * once a configurable time has passed on the simulator's clock ({@link
 * GitHubSimulator#advanceTime}; at once for a zero duration). A check fails when the SHA contains a
 * broken pull request (its head is an ancestor) or a change to a broken path, or both halves of a
 * pair that fails only together; otherwise it fails with the flaky probability, drawn from a random
 * sequence seeded by the configured seed, the SHA and the attempt, so a run is the same every time
 * the test runs. Results are check runs of the App {@link #APP} (or commit statuses).
 */
public final class SimulatedCi {
    /** The App slug the simulated CI writes its check runs as. */
    public static final String APP = "simulated-ci";

    private final SimulatedGitHub state;
    private final CheckRoutes checks;
    private final Map<String, Config> configs = new HashMap<>();
    private final List<Run> pending = new ArrayList<>();
    private final Map<String, Integer> attempts = new HashMap<>();
    private int runsStarted;

    /** What CI does for one repository. Build with {@link SimulatedCi#configure}. */
    public static final class Config {
        private final List<Pattern> branches = new ArrayList<>();
        private final List<String> checks = new ArrayList<>();
        private Duration duration = Duration.ZERO;
        private long seed;
        private double flakyProbability;
        private boolean statuses;
        private final Set<String> brokenPaths = new LinkedHashSet<>();
        private final Set<Integer> brokenPulls = new LinkedHashSet<>();
        private final List<int[]> brokenPairs = new ArrayList<>();

        /** Runs on pushes to branches matching {@code glob} ({@code *}: one level, {@code **}). */
        public Config onBranches(String... globs) {
            for (String glob : globs) {
                branches.add(glob(glob));
            }
            return this;
        }

        /** The checks each run reports (each one check run, or status context). */
        public Config checks(String... names) {
            checks.addAll(List.of(names));
            return this;
        }

        /** How long a run takes on the simulator's clock. */
        public Config taking(Duration runTime) {
            duration = runTime;
            return this;
        }

        public Config seed(long value) {
            seed = value;
            return this;
        }

        /** The chance that a run that should pass fails anyway (each check's result the same). */
        public Config flaky(double probability) {
            flakyProbability = probability;
            return this;
        }

        /** Reports commit statuses instead of check runs. */
        public Config asStatuses() {
            statuses = true;
            return this;
        }

        public Config brokenPath(String path) {
            brokenPaths.add(path);
            return this;
        }

        public Config brokenPull(int number) {
            brokenPulls.add(number);
            return this;
        }

        /** Two pull requests that pass alone and fail together. */
        public Config brokenTogether(int first, int second) {
            brokenPairs.add(new int[] {first, second});
            return this;
        }

        boolean runsOn(String branch) {
            return branches.stream().anyMatch(p -> p.matcher(branch).matches());
        }

        private static Pattern glob(String glob) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(regex.toString());
        }
    }

    /** One run waiting for its time. */
    private record Run(SimulatedRepo repo, String sha, Instant due, Config config) {}

    SimulatedCi(SimulatedGitHub state, CheckRoutes checks) {
        this.state = state;
        this.checks = checks;
    }

    /** Sets (replaces) what CI does for {@code repo}; returns the config to fill in. */
    public Config configure(String repo) {
        Config config = new Config();
        synchronized (state) {
            configs.put(state.seededRepo(repo).fullName(), config);
        }
        return config;
    }

    /** How many runs were started, over all repositories (a rerun counts). */
    public int runsStarted() {
        synchronized (state) {
            return runsStarted;
        }
    }

    /** Runs again on {@code sha}, as a re-run of its checks would; a new attempt draws anew. */
    public void rerun(String repo, String sha) {
        synchronized (state) {
            SimulatedRepo r = state.seededRepo(repo);
            Config config = configs.get(r.fullName());
            if (config == null) {
                throw new IllegalArgumentException("no CI configured for " + repo);
            }
            start(r, sha, config);
        }
    }

    /** Reports every run due by now. Under the state's lock. */
    void reportDue() {
        Instant now = state.now();
        for (Iterator<Run> it = pending.iterator(); it.hasNext(); ) {
            Run run = it.next();
            if (!run.due().isAfter(now)) {
                it.remove();
                report(run);
            }
        }
    }

    /** Under the state's lock, from {@link GitChanges}. */
    void pushed(SimulatedRepo repo, String ref, String sha) {
        Config config = configs.get(repo.fullName());
        if (config != null && config.runsOn(GitChanges.branchOf(ref))) {
            start(repo, sha, config);
        }
        reportDue();
    }

    private void start(SimulatedRepo repo, String sha, Config config) {
        runsStarted++;
        for (String check : config.checks) {
            if (config.statuses) {
                checks.recordStatus(
                        repo,
                        new SimulatedChecks.Status(
                                state.nextId(),
                                sha,
                                "pending",
                                check,
                                "Running",
                                null,
                                APP + "[bot]",
                                state.now()));
            } else {
                checks.addCheckRun(repo, sha, APP, check, null);
            }
        }
        pending.add(new Run(repo, sha, state.now().plus(config.duration), config));
        reportDue();
    }

    private void report(Run run) {
        String conclusion = passes(run) ? "success" : "failure";
        for (String check : run.config().checks) {
            if (run.config().statuses) {
                checks.recordStatus(
                        run.repo(),
                        new SimulatedChecks.Status(
                                state.nextId(),
                                run.sha(),
                                conclusion,
                                check,
                                "Finished: " + conclusion,
                                null,
                                APP + "[bot]",
                                state.now()));
            } else {
                run.repo().checkRuns.values().stream()
                        .filter(c -> c.headSha.equals(run.sha()) && c.name.equals(check))
                        .filter(c -> !"completed".equals(c.status))
                        .forEach(
                                c -> {
                                    c.status = "completed";
                                    c.conclusion = conclusion;
                                    c.completedAt = state.now();
                                    c.title = check + ": " + conclusion;
                                    c.summary = "Simulated CI run on " + run.sha();
                                });
                state.recordCommitMutation(
                        run.repo(), run.sha(), "check_run:" + check + "=" + conclusion);
            }
        }
    }

    private boolean passes(Run run) {
        SimulatedRepo repo = run.repo();
        Config config = run.config();
        Set<String> ancestry = repo.git.ancestry(run.sha());
        for (String sha : ancestry) {
            for (SimulatedGit.Change change : repo.git.get(sha).orElseThrow().changes()) {
                if (config.brokenPaths.contains(change.path())) {
                    return false;
                }
            }
        }
        Set<Integer> included = new LinkedHashSet<>();
        for (SimulatedIssue issue : repo.issues.values()) {
            if (issue.pull != null && ancestry.contains(issue.pull.headSha)) {
                included.add(issue.number);
            }
        }
        if (included.stream().anyMatch(config.brokenPulls::contains)) {
            return false;
        }
        for (int[] pair : config.brokenPairs) {
            if (included.contains(pair[0]) && included.contains(pair[1])) {
                return false;
            }
        }
        int attempt = attempts.merge(repo.fullName() + "@" + run.sha(), 1, Integer::sum);
        Random random = new Random(config.seed * 31 + run.sha().hashCode() * 17L + attempt);
        return random.nextDouble() >= config.flakyProbability;
    }
}

package io.repostream.testkit.github;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** One repository and everything in it. Mutable; guarded by the simulator's lock. */
final class SimulatedRepo {
    /** GitHub's feed holds the latest 300 events. */
    static final int MAX_EVENTS = 300;

    final long id;
    final String owner;
    final String name;
    final Instant createdAt;
    final String defaultBranch = "main";
    Instant updatedAt;

    final Map<String, SimulatedLabel> labels = new LinkedHashMap<>();
    final TreeMap<Integer, SimulatedIssue> issues = new TreeMap<>();

    /** Numbers of issues deleted: GitHub answers them with 410 Gone. */
    final java.util.Set<Integer> deletedIssues = new java.util.HashSet<>();

    final Map<Long, SimulatedComment> comments = new LinkedHashMap<>();

    /**
     * Collaborators by lowercase login, with their role ({@code read}, {@code triage}, {@code
     * write}, {@code maintain}, {@code admin}).
     */
    final Map<String, String> collaborators = new LinkedHashMap<>();

    final TreeMap<Long, SimulatedWorkflowRun> runs = new TreeMap<>();

    /** Newest first, as the API returns them. */
    final Deque<RepoEvent> events = new ArrayDeque<>();

    /** Commits and refs; {@code refs/heads/main} starts at a root commit. */
    final SimulatedGit git = new SimulatedGit();

    /** Commit statuses, oldest first. */
    final java.util.List<SimulatedChecks.Status> statuses = new java.util.ArrayList<>();

    final Map<Long, SimulatedChecks.CheckRun> checkRuns = new LinkedHashMap<>();

    /** Branch protection by branch name ({@code main}). */
    final Map<String, Protection> protections = new LinkedHashMap<>();

    /** A branch's protection: who may push, required checks, linear history. */
    static final class Protection {
        final java.util.List<String> requiredChecks = new java.util.ArrayList<>();
        boolean strict;
        boolean requiredLinearHistory;
        boolean allowForcePushes;

        /** Logins allowed to push (an App as {@code slug[bot]}); empty: anyone with write. */
        final java.util.Set<String> pushAllowances = new java.util.LinkedHashSet<>();

        boolean pushAllowed(String login) {
            return pushAllowances.isEmpty()
                    || pushAllowances.stream().anyMatch(a -> a.equalsIgnoreCase(login));
        }
    }

    /** The protection of the branch {@code ref} names, or null. */
    Protection protection(String ref) {
        return protections.get(GitChanges.branchOf(ref));
    }

    private int lastNumber;
    private int lastRunNumber;

    SimulatedRepo(long id, String owner, String name, Instant createdAt) {
        this.id = id;
        this.owner = owner;
        this.name = name;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        SimulatedGit.Commit root =
                git.commit(
                        java.util.List.of(),
                        java.util.Set.of(),
                        "Initial commit",
                        owner,
                        createdAt);
        git.refs.put("refs/heads/" + defaultBranch, root.sha());
    }

    static String key(String owner, String name) {
        return (owner + "/" + name).toLowerCase(Locale.ROOT);
    }

    String fullName() {
        return owner + "/" + name;
    }

    /** Issues and pull requests share one sequence of numbers, as on GitHub. */
    int nextNumber() {
        return ++lastNumber;
    }

    int nextRunNumber() {
        return ++lastRunNumber;
    }

    Optional<SimulatedLabel> label(String name) {
        return Optional.ofNullable(labels.get(name.toLowerCase(Locale.ROOT)));
    }

    void putLabel(SimulatedLabel label) {
        labels.put(label.name().toLowerCase(Locale.ROOT), label);
    }

    void addEvent(RepoEvent event) {
        events.addFirst(event);
        while (events.size() > MAX_EVENTS) {
            events.removeLast();
        }
    }

    long openIssues() {
        return issues.values().stream().filter(SimulatedIssue::isOpen).count();
    }
}

package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The simulator's whole state: accounts, tokens, repositories and the log of mutations made through
 * the API. Not thread-safe by itself: every caller holds this object's monitor ({@code synchronized
 * (state)}), so a request is applied atomically.
 */
final class SimulatedGitHub {
    private final Clock clock;
    private final Map<String, SimulatedUser> users = new HashMap<>();
    private final Map<String, String> tokens = new HashMap<>();
    private final Map<String, SimulatedRepo> repos = new LinkedHashMap<>();
    private final List<String> mutations = new ArrayList<>();

    /** One sequence for every id, so no two objects of any kind share one. */
    private long lastId = 1_000;

    SimulatedGitHub(Clock clock) {
        this.clock = clock;
    }

    /** GitHub's timestamps have second precision. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    long nextId() {
        return ++lastId;
    }

    SimulatedUser user(String login) {
        return users.computeIfAbsent(
                login.toLowerCase(Locale.ROOT), k -> new SimulatedUser(login, nextId()));
    }

    boolean knowsUser(String login) {
        return users.containsKey(login.toLowerCase(Locale.ROOT));
    }

    void addToken(String token, String login) {
        user(login);
        tokens.put(token, login);
    }

    /** The login a token belongs to, or null for an unknown token. */
    String loginForToken(String token) {
        return tokens.get(token);
    }

    SimulatedRepo createRepo(String owner, String name) {
        String key = SimulatedRepo.key(owner, name);
        if (repos.containsKey(key)) {
            throw new IllegalArgumentException("repository " + owner + "/" + name + " exists");
        }
        user(owner);
        SimulatedRepo repo = new SimulatedRepo(nextId(), owner, name, now());
        repos.put(key, repo);
        return repo;
    }

    /** For route handlers: a missing repository is GitHub's plain 404. */
    SimulatedRepo repo(String owner, String name) {
        SimulatedRepo repo = repos.get(SimulatedRepo.key(owner, name));
        if (repo == null) {
            throw ApiError.notFound();
        }
        return repo;
    }

    /** For the test-facing API: a missing repository is a mistake in the test. */
    SimulatedRepo seededRepo(String fullName) {
        String[] parts = fullName.split("/", -1);
        SimulatedRepo repo =
                parts.length == 2 ? repos.get(SimulatedRepo.key(parts[0], parts[1])) : null;
        if (repo == null) {
            throw new IllegalArgumentException(
                    "no repository " + fullName + " in the simulator; createRepo it first");
        }
        return repo;
    }

    SimulatedIssue seededIssue(String fullName, int number) {
        SimulatedIssue issue = seededRepo(fullName).issues.get(number);
        if (issue == null) {
            throw new IllegalArgumentException("no issue " + fullName + "#" + number);
        }
        return issue;
    }

    /** Records a mutation made through the API, e.g. {@code owner/repo#12:+label:bug}. */
    void recordMutation(SimulatedRepo repo, int number, String change) {
        mutations.add(repo.fullName() + "#" + number + ":" + change);
    }

    void recordRunMutation(SimulatedRepo repo, long runId, String change) {
        mutations.add(repo.fullName() + "#run/" + runId + ":" + change);
    }

    List<String> mutations() {
        return List.copyOf(mutations);
    }

    void clearMutations() {
        mutations.clear();
    }

    void recordEvent(SimulatedRepo repo, String type, String actor, ObjectNode payload) {
        user(actor);
        repo.addEvent(new RepoEvent(nextId(), type, actor, payload, now()));
    }
}

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
    private final java.util.Set<String> readOnlyTokens = new java.util.HashSet<>();
    private final Map<String, SimulatedRepo> repos = new LinkedHashMap<>();
    private final List<String> mutations = new ArrayList<>();

    /** When each entry of {@link #mutations} was applied, by the system clock (same index). */
    private final List<Instant> mutationTimes = new ArrayList<>();

    private final Map<Long, SimulatedApp> apps = new HashMap<>();
    private final Map<Long, SimulatedApp.Installation> installations = new LinkedHashMap<>();
    private final Map<String, SimulatedApp.PendingConversion> conversions = new HashMap<>();
    private final Map<String, SimulatedApp.InstallationToken> installationTokens = new HashMap<>();
    private final Map<Long, SimulatedHook> hooks = new HashMap<>();
    private final Map<Long, SimulatedHook> appHooks = new HashMap<>();

    /** How long an installation token works (GitHub: one hour). */
    private java.time.Duration installationTokenLifetime = java.time.Duration.ofHours(1);

    /** Seconds GitHub asks pollers of the event feed to wait ({@code X-Poll-Interval}). */
    private int pollIntervalSeconds = 60;

    /** One sequence for every id, so no two objects of any kind share one. */
    private long lastId = 1_000;

    SimulatedGitHub(Clock clock) {
        this.clock = clock;
    }

    /** GitHub's timestamps have second precision. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    java.time.Duration installationTokenLifetime() {
        return installationTokenLifetime;
    }

    void setInstallationTokenLifetime(java.time.Duration lifetime) {
        installationTokenLifetime = lifetime;
    }

    /** Every installation token handed out, for tests that prove tokens stay secret. */
    java.util.List<String> installationTokens() {
        return java.util.List.copyOf(installationTokens.keySet());
    }

    int pollIntervalSeconds() {
        return pollIntervalSeconds;
    }

    /** Fields of {@code issue} / {@code pull_request} the event feed leaves out of payloads. */
    private java.util.Set<String> feedItemOmissions = java.util.Set.of();

    java.util.Set<String> feedItemOmissions() {
        return feedItemOmissions;
    }

    void setFeedItemOmissions(java.util.Set<String> fields) {
        feedItemOmissions = java.util.Set.copyOf(fields);
    }

    void setPollIntervalSeconds(int seconds) {
        pollIntervalSeconds = seconds;
    }

    long nextId() {
        return ++lastId;
    }

    /** Signed job-log download URLs handed out: signature to the log, usable until it expires. */
    final Map<String, JobLogDownload> jobLogDownloads = new HashMap<>();

    /** What a signed job-log URL serves, and until when. */
    record JobLogDownload(String log, Instant expiresAt) {}

    SimulatedUser user(String login) {
        return users.computeIfAbsent(
                login.toLowerCase(Locale.ROOT), k -> new SimulatedUser(login, nextId()));
    }

    /** Makes {@code login} an organisation (repositories it owns then show it as {@code org}). */
    void createOrganization(String login) {
        String key = login.toLowerCase(Locale.ROOT);
        SimulatedUser known = users.get(key);
        if (known != null && !known.organization()) {
            throw new IllegalArgumentException(login + " is already a user account");
        }
        users.put(key, new SimulatedUser(login, known != null ? known.id() : nextId(), true));
    }

    boolean knowsUser(String login) {
        return users.containsKey(login.toLowerCase(Locale.ROOT));
    }

    void addToken(String token, String login) {
        user(login);
        tokens.put(token, login);
    }

    void addReadOnlyToken(String token, String login) {
        addToken(token, login);
        readOnlyTokens.add(token);
    }

    /** Whether the token may read but not write (a fine-grained token without write access). */
    boolean readOnly(String token) {
        return readOnlyTokens.contains(token);
    }

    /**
     * The login a token belongs to ({@code <app-slug>[bot]} for an installation token), or null for
     * an unknown or expired token.
     */
    String loginForToken(String token) {
        String login = tokens.get(token);
        if (login != null) {
            return login;
        }
        SimulatedApp.InstallationToken t = installationTokens.get(token);
        if (t == null || !now().isBefore(t.expiresAt())) {
            return null;
        }
        SimulatedApp.Installation installation = installations.get(t.installationId());
        return apps.get(installation.appId()).slug() + "[bot]";
    }

    /**
     * Whether {@code token} may see {@code owner/name}: an installation token only the repos of its
     * installation, any other token every repo.
     */
    boolean tokenCovers(String token, String owner, String name) {
        SimulatedApp.InstallationToken t = token == null ? null : installationTokens.get(token);
        if (t == null) {
            return true;
        }
        return installations
                .get(t.installationId())
                .repoKeys()
                .contains(SimulatedRepo.key(owner, name));
    }

    void registerApp(SimulatedApp app) {
        if (apps.putIfAbsent(app.id(), app) != null) {
            throw new IllegalArgumentException("app " + app.id() + " exists");
        }
        user(app.slug() + "[bot]");
    }

    SimulatedApp app(long id) {
        return apps.get(id);
    }

    void install(SimulatedApp.Installation installation) {
        if (!apps.containsKey(installation.appId())) {
            throw new IllegalArgumentException(
                    "no app " + installation.appId() + "; registerApp it first");
        }
        if (installations.putIfAbsent(installation.id(), installation) != null) {
            throw new IllegalArgumentException("installation " + installation.id() + " exists");
        }
        user(installation.account());
    }

    SimulatedApp.Installation installation(long id) {
        return installations.get(id);
    }

    /** The app's first installation, or null. */
    SimulatedApp.Installation firstInstallationOf(long appId) {
        return installations.values().stream()
                .filter(i -> i.appId() == appId)
                .findFirst()
                .orElse(null);
    }

    /** The app's installations, in the order they were made. */
    java.util.List<SimulatedApp.Installation> installationsOf(long appId) {
        return installations.values().stream().filter(i -> i.appId() == appId).toList();
    }

    /** The highest app id in use, so that the manifest flow hands out a new one. */
    long highestAppId() {
        return apps.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    void awaitConversion(String code, SimulatedApp.PendingConversion pending) {
        conversions.put(code, pending);
    }

    /** The app a manifest code stands for, removed: a code converts once. */
    SimulatedApp.PendingConversion takeConversion(String code) {
        return conversions.remove(code);
    }

    int installationCount(long appId) {
        return (int) installations.values().stream().filter(i -> i.appId() == appId).count();
    }

    /** Adds a webhook to a repository ({@code owner/repo}) or organisation ({@code org:login}). */
    SimulatedHook addHook(String scope, String url, String secret) {
        SimulatedHook hook = new SimulatedHook(nextId(), scope, url, secret);
        hooks.put(hook.id, hook);
        return hook;
    }

    /**
     * Sets GitHub App {@code appId}'s webhook (each app has one), scope {@code app:<id>}; its
     * deliveries are listed by {@code GET /app/hook/deliveries}.
     */
    SimulatedHook setAppHook(long appId, String url, String secret) {
        SimulatedHook hook = new SimulatedHook(nextId(), appScope(appId), url, secret);
        hooks.put(hook.id, hook);
        appHooks.put(appId, hook);
        return hook;
    }

    /** The app's webhook, or null when it has none. */
    SimulatedHook appHook(long appId) {
        return appHooks.get(appId);
    }

    static String appScope(long appId) {
        return "app:" + appId;
    }

    /** For route handlers: a hook of another repository or organisation is GitHub's 404. */
    SimulatedHook hook(String scope, long id) {
        SimulatedHook hook = hooks.get(id);
        if (hook == null || !hook.scope.equals(scope)) {
            throw ApiError.notFound();
        }
        return hook;
    }

    SimulatedHook seededHook(long id) {
        SimulatedHook hook = hooks.get(id);
        if (hook == null) {
            throw new IllegalArgumentException("no hook " + id + "; createHook it first");
        }
        return hook;
    }

    /** The installation of app {@code appId} that covers {@code repo}, or null. */
    SimulatedApp.Installation installationFor(long appId, SimulatedRepo repo) {
        String key = SimulatedRepo.key(repo.owner, repo.name);
        for (SimulatedApp.Installation i : installations.values()) {
            if (i.appId() == appId && i.repoKeys().contains(key)) {
                return i;
            }
        }
        return null;
    }

    void addInstallationToken(
            String token, SimulatedApp.Installation installation, Instant expiresAt) {
        installationTokens.put(
                token, new SimulatedApp.InstallationToken(installation.id(), expiresAt));
    }

    /** How many installation tokens were handed out, per installation id. */
    Map<Long, Long> installationTokenCounts() {
        Map<Long, Long> counts = new java.util.TreeMap<>();
        installationTokens.values().forEach(t -> counts.merge(t.installationId(), 1L, Long::sum));
        return counts;
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
        record(repo.fullName() + "#" + number + ":" + change);
    }

    /** Records a move of a ref, e.g. {@code owner/repo@refs/heads/main:updated:<sha>}. */
    void recordRefMutation(SimulatedRepo repo, String ref, String change) {
        record(repo.fullName() + "@" + ref + ":" + change);
    }

    /** Records a check run or status written, e.g. {@code owner/repo@<sha>:status:ci=success}. */
    void recordCommitMutation(SimulatedRepo repo, String sha, String change) {
        record(repo.fullName() + "@" + sha + ":" + change);
    }

    /** Whether {@code token} is a GitHub App installation's (not a user's or OAuth app's). */
    boolean isInstallationToken(String token) {
        return token != null && installationTokens.containsKey(token);
    }

    /** The slug of the App whose installation token {@code token} is, or null. */
    String appSlugForToken(String token) {
        SimulatedApp.InstallationToken t = token == null ? null : installationTokens.get(token);
        if (t == null) {
            return null;
        }
        return apps.get(installations.get(t.installationId()).appId()).slug();
    }

    void recordRunMutation(SimulatedRepo repo, long runId, String change) {
        record(repo.fullName() + "#run/" + runId + ":" + change);
    }

    /**
     * The time is the system clock's, not {@link #now()}: a test may freeze the simulator's clock,
     * and a latency measurement needs the real instant, finer than GitHub's seconds.
     */
    private void record(String mutation) {
        mutations.add(mutation);
        mutationTimes.add(Instant.now());
    }

    List<String> mutations() {
        return List.copyOf(mutations);
    }

    List<TimedMutation> timedMutations() {
        List<TimedMutation> list = new ArrayList<>(mutations.size());
        for (int i = 0; i < mutations.size(); i++) {
            list.add(new TimedMutation(mutations.get(i), mutationTimes.get(i)));
        }
        return list;
    }

    void clearMutations() {
        mutations.clear();
        mutationTimes.clear();
    }

    void recordEvent(SimulatedRepo repo, String type, String actor, ObjectNode payload) {
        user(actor);
        repo.addEvent(new RepoEvent(nextId(), type, actor, payload, now()));
    }
}

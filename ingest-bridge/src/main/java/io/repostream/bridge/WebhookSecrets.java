package io.repostream.bridge;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The webhook secrets the bridge accepts, like Prow's hook: global ones, per organisation and per
 * repository. Several secrets per level allow rotation (old and new are valid at once). The most
 * specific level that has secrets wins: a repository with its own secret cannot be signed with the
 * organisation's or the global one. The scope is the owner in {@code repository.full_name} (see
 * {@link #candidatesFor}).
 *
 * <p>{@link #toString()} never shows a secret.
 *
 * @param global secrets valid for every delivery
 * @param perOrg secrets by lowercase organisation (or user) login
 * @param perRepo secrets by lowercase {@code owner/repo}
 */
public record WebhookSecrets(
        List<String> global, Map<String, List<String>> perOrg, Map<String, List<String>> perRepo) {

    public WebhookSecrets {
        global = nonBlank(global, "global webhook secret");
        perOrg = lowercaseKeys(perOrg, "webhook secret of org");
        perRepo = lowercaseKeys(perRepo, "webhook secret of repo");
    }

    public static WebhookSecrets none() {
        return new WebhookSecrets(List.of(), Map.of(), Map.of());
    }

    /** One or more global secrets (several during a rotation). */
    public static WebhookSecrets global(String... secrets) {
        return new WebhookSecrets(List.of(secrets), Map.of(), Map.of());
    }

    public WebhookSecrets withOrg(String org, String... secrets) {
        Map<String, List<String>> orgs = new TreeMap<>(perOrg);
        orgs.put(org, List.of(secrets));
        return new WebhookSecrets(global, orgs, perRepo);
    }

    public WebhookSecrets withRepo(String repo, String... secrets) {
        Map<String, List<String>> repos = new TreeMap<>(perRepo);
        repos.put(repo, List.of(secrets));
        return new WebhookSecrets(global, perOrg, repos);
    }

    public boolean isEmpty() {
        return global.isEmpty() && perOrg.isEmpty() && perRepo.isEmpty();
    }

    /** Whether the secret to use depends on the payload (so it must be parsed before checking). */
    public boolean scoped() {
        return !perOrg.isEmpty() || !perRepo.isEmpty();
    }

    /**
     * The secrets a delivery may be signed with. Its scope is the owner in {@code
     * repository.full_name} (the repository's own secrets when it has some); {@code
     * organization.login} counts only for events without a repository, as in Prow's hook: trust
     * comes from the repository, never from another field the sender controls. Only the most
     * specific level that has secrets is used.
     *
     * @param repo lowercase {@code owner/repo} of {@code repository.full_name}, or null when the
     *     payload has none
     * @param organizationLogin {@code organization.login} (any case), or null
     */
    public List<String> candidatesFor(String repo, String organizationLogin) {
        if (repo != null && perRepo.containsKey(repo)) {
            return perRepo.get(repo);
        }
        String owner = scopeOwner(repo, organizationLogin);
        if (owner != null && perOrg.containsKey(owner)) {
            return perOrg.get(owner);
        }
        return global;
    }

    /** Which scope {@link #candidatesFor} chose, for logs: a repository, an owner, or global. */
    public String scopeOf(String repo, String organizationLogin) {
        if (repo != null && perRepo.containsKey(repo)) {
            return "repository " + repo;
        }
        String owner = scopeOwner(repo, organizationLogin);
        if (owner != null && perOrg.containsKey(owner)) {
            return "owner " + owner;
        }
        return "global";
    }

    /**
     * Whether {@code secret} is configured for any scope: to tell a confused scope from a guess.
     */
    public boolean anyScopeHas(java.util.function.Predicate<String> signedWith) {
        return all().stream().anyMatch(signedWith);
    }

    private static String scopeOwner(String repo, String organizationLogin) {
        if (repo != null) {
            return repo.substring(0, repo.indexOf('/'));
        }
        return organizationLogin == null ? null : organizationLogin.toLowerCase(Locale.ROOT);
    }

    /** Every configured secret, to scan logs and error bodies for leaks. */
    public List<String> all() {
        List<String> all = new java.util.ArrayList<>(global);
        perOrg.values().forEach(all::addAll);
        perRepo.values().forEach(all::addAll);
        return all;
    }

    @Override
    public String toString() {
        return "WebhookSecrets[global="
                + global.size()
                + " secret(s), orgs="
                + perOrg.keySet()
                + ", repos="
                + perRepo.keySet()
                + "]";
    }

    private static List<String> nonBlank(List<String> secrets, String what) {
        if (secrets == null) {
            return List.of();
        }
        for (String secret : secrets) {
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
        }
        return List.copyOf(secrets);
    }

    private static Map<String, List<String>> lowercaseKeys(
            Map<String, List<String>> byName, String what) {
        if (byName == null) {
            return Map.of();
        }
        Map<String, List<String>> copy = new TreeMap<>();
        byName.forEach(
                (name, secrets) -> {
                    String key = name.toLowerCase(Locale.ROOT);
                    List<String> checked = nonBlank(secrets, what + " " + key);
                    if (checked.isEmpty()) {
                        throw new IllegalArgumentException(what + " " + key + " has no secret");
                    }
                    copy.put(key, checked);
                });
        return java.util.Collections.unmodifiableMap(copy);
    }
}

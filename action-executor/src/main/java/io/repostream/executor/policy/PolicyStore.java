package io.repostream.executor.policy;

import io.repostream.schemas.RepoPolicy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The latest policy per repo from {@code github.config.v1}; the defaults for repos without one. */
public final class PolicyStore {
    private final Map<String, RepoPolicy> byRepo = new ConcurrentHashMap<>();

    /** The defaults of repos without a policy, built once a repo (every action asks). */
    private final Map<String, RepoPolicy> defaults = new ConcurrentHashMap<>();

    public void put(RepoPolicy policy) {
        byRepo.put(policy.repo(), policy);
    }

    public void remove(String repo) {
        if (repo != null) {
            byRepo.remove(repo.toLowerCase(java.util.Locale.ROOT));
        }
    }

    public RepoPolicy of(String repo) {
        RepoPolicy policy = byRepo.get(repo);
        return policy != null ? policy : defaults.computeIfAbsent(repo, RepoPolicy::defaults);
    }
}

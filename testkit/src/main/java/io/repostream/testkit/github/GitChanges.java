package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every move of a ref goes through here, whoever makes it (the API, a merge, the test): it enforces
 * branch protection, records the mutation and a {@code PushEvent} (or {@code DeleteEvent}) in the
 * feed, keeps the pull requests of the branch in step (head SHA, {@code mergeable} to be computed
 * again), and tells the simulated CI.
 */
final class GitChanges {
    /** Told about every push; the simulated CI listens. */
    interface PushListener {
        void pushed(SimulatedRepo repo, String ref, String sha);
    }

    private final SimulatedGitHub state;
    private volatile PushListener listener = (repo, ref, sha) -> {};

    GitChanges(SimulatedGitHub state) {
        this.state = state;
    }

    void onPush(PushListener pushListener) {
        listener = pushListener;
    }

    /**
     * GitHub refuses a push to a protected branch by anyone the protection does not allow, and a
     * forced one unless force pushes are allowed.
     */
    void checkPush(SimulatedRepo repo, String ref, String sha, String login, boolean force) {
        SimulatedRepo.Protection protection = repo.protection(ref);
        if (protection == null) {
            return;
        }
        if (!protection.pushAllowed(login) || force && !protection.allowForcePushes) {
            throw ApiError.unprocessable("Protected branch update failed for " + ref + ".");
        }
    }

    void moveRef(SimulatedRepo repo, String ref, String sha, String actor) {
        String before = repo.git.refs.put(ref, sha);
        state.recordRefMutation(repo, ref, (before == null ? "created:" : "updated:") + sha);
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("repository_id", repo.id);
        payload.put("push_id", state.nextId());
        payload.put("ref", ref);
        payload.put("head", sha);
        payload.put("before", before == null ? "0".repeat(40) : before);
        state.recordEvent(repo, "PushEvent", actor, payload);
        String branch = branchOf(ref);
        for (SimulatedIssue issue : repo.issues.values()) {
            SimulatedPull pull = issue.pull;
            if (pull == null || pull.merged || !issue.isOpen() || !pull.gitBacked) {
                continue;
            }
            if (pull.headRef.equals(branch)) {
                pull.headSha = sha;
                pull.forgetMergeable();
            } else if (pull.baseRef.equals(branch)) {
                pull.baseSha = sha;
                pull.forgetMergeable();
            }
        }
        listener.pushed(repo, ref, sha);
    }

    void deleteRef(SimulatedRepo repo, String ref, String actor) {
        repo.git.refs.remove(ref);
        state.recordRefMutation(repo, ref, "deleted");
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("ref", branchOf(ref));
        payload.put("ref_type", ref.startsWith("refs/tags/") ? "tag" : "branch");
        payload.put("pusher_type", "user");
        state.recordEvent(repo, "DeleteEvent", actor, payload);
    }

    /** {@code main} for {@code refs/heads/main}. */
    static String branchOf(String ref) {
        return ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
    }
}

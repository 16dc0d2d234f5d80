package io.repostream.flink.governors;

import java.util.List;

/**
 * What the repo governor ({@link ActionRateGovernor}) remembers per repository.
 *
 * @param sent send times reserved in the last hour (epoch ms, sorted)
 * @param installation the installation key the repository's actions carry; null until one did
 */
public record RepoGovernorState(List<Long> sent, String installation) {
    public RepoGovernorState {
        sent = sent == null ? List.of() : List.copyOf(sent);
    }

    static RepoGovernorState empty() {
        return new RepoGovernorState(List.of(), null);
    }

    /**
     * The repo governor's part of what earlier versions kept in the shared {@link GovernorState}.
     */
    static RepoGovernorState of(GovernorState legacy) {
        return new RepoGovernorState(legacy.sent(), legacy.installation());
    }
}

package io.repostream.testkit.github;

import java.time.Instant;

/** Check runs and commit statuses on commits. Mutable; guarded by the simulator's lock. */
final class SimulatedChecks {
    private SimulatedChecks() {}

    /** One commit status; GitHub keeps them all and shows the latest per context. */
    record Status(
            long id,
            String sha,
            String state,
            String context,
            String description,
            String targetUrl,
            String creator,
            Instant createdAt) {}

    /** One check run of an App on a commit. */
    static final class CheckRun {
        final long id;
        final String headSha;
        final String app;
        String name;
        String status;
        String conclusion;
        String title;
        String summary;
        String text;
        String detailsUrl;
        String externalId;
        Instant startedAt;
        Instant completedAt;

        /** Annotations as GitHub returns them; each write appends to them. */
        final java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> annotations =
                new java.util.ArrayList<>();

        CheckRun(long id, String headSha, String app) {
            this.id = id;
            this.headSha = headSha;
            this.app = app;
        }
    }
}

package io.repostream.testkit.github;

import java.time.Instant;

/** A comment on an issue or pull request. Mutable; guarded by the simulator's lock. */
final class SimulatedComment {
    final long id;
    final int issueNumber;
    final String author;
    final Instant createdAt;
    String body;
    Instant updatedAt;

    SimulatedComment(long id, int issueNumber, String author, String body, Instant createdAt) {
        this.id = id;
        this.issueNumber = issueNumber;
        this.author = author;
        this.body = body;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }
}

package io.repostream.testkit.github;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A webhook of a repository or an organisation, and the deliveries GitHub made to it. Mutable;
 * guarded by the simulator's lock.
 */
final class SimulatedHook {
    /** GitHub lists and redelivers a hook's deliveries of the last three days. */
    static final java.time.Duration KEPT = java.time.Duration.ofDays(3);

    final long id;

    /** {@code owner/repo} (lowercase) of a repository hook, {@code org:<login>} of an org hook. */
    final String scope;

    final String url;
    final String secret;

    /** Oldest first. */
    final List<Delivery> deliveries = new ArrayList<>();

    SimulatedHook(long id, String scope, String url, String secret) {
        this.id = id;
        this.scope = scope;
        this.url = url;
        this.secret = secret;
    }

    /**
     * One attempt to deliver an event; a redelivery is a new attempt with the same guid.
     *
     * @param statusCode the receiver's answer, 0 when it could not be reached
     */
    record Delivery(
            long id,
            String guid,
            Instant deliveredAt,
            boolean redelivery,
            double durationSeconds,
            int statusCode,
            String event,
            String action,
            Long repositoryId,
            byte[] body) {

        String status() {
            if (statusCode == 0) {
                return "failed to connect to host";
            }
            return statusCode / 100 == 2 ? "OK" : "Invalid HTTP Response: " + statusCode;
        }
    }
}

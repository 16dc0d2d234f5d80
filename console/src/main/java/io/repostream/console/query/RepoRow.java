package io.repostream.console.query;

import java.time.Instant;

/**
 * One line of the Repos page: a repository's indexed actions by their latest outcome, and when
 * something last happened there.
 *
 * @param failed failed actions and rollbacks that met a conflict
 * @param lastChange when an action of it last changed
 * @param lastEvent when the latest indexed event of it was received (null when none)
 */
public record RepoRow(
        String repo,
        long actions,
        long applied,
        long dryRun,
        long pending,
        long failed,
        long dropped,
        long rolledBack,
        Instant lastChange,
        Instant lastEvent) {}

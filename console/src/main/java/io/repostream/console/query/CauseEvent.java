package io.repostream.console.query;

import java.time.Instant;

/**
 * An event behind an action, as far as the console indexed it.
 *
 * @param indexed false when only the id is known (the event is older than the index, or its record
 *     was not read yet); every other field is then null
 * @param what {@code type.action}, e.g. {@code issues.opened}
 * @param sender the login that caused it on GitHub
 * @param subject the or pull request's title, or the workflow run's name
 * @param subjectUrl its page on GitHub
 */
public record CauseEvent(
        String eventId,
        boolean indexed,
        String what,
        String source,
        Instant occurredAt,
        String sender,
        String subject,
        String subjectUrl) {

    static CauseEvent unknown(String eventId) {
        return new CauseEvent(eventId, false, null, null, null, null, null, null);
    }
}

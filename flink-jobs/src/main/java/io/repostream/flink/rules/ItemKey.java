package io.repostream.flink.rules;

import io.repostream.schemas.GitHubEvent;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Keys events by the issue or pull request they concern: {@code owner/repo#12}, the same form
 * errors and logs use. Apply after {@link ItemEvents} has kept only such events.
 */
public final class ItemKey implements KeySelector<GitHubEvent, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(GitHubEvent event) {
        return of(event);
    }

    public static String of(GitHubEvent event) {
        long number =
                GitHubPayloads.itemNumber(event)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "event "
                                                        + event.eventId()
                                                        + " ("
                                                        + event.qualifiedType()
                                                        + ") in "
                                                        + event.repo()
                                                        + " names no issue or pull request"));
        return event.repo() + "#" + number;
    }
}

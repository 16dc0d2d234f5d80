package io.repostream.flink.rules;

import io.repostream.schemas.GitHubEvent;
import org.apache.flink.api.common.functions.FilterFunction;

/** Keeps events about one issue or pull request of a repository. */
public final class ItemEvents implements FilterFunction<GitHubEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(GitHubEvent event) {
        return event.repo() != null && GitHubPayloads.itemNumber(event).isPresent();
    }
}

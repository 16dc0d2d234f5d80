package io.repostream.flink.rules.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.flink.rules.ItemEvents;
import io.repostream.flink.rules.ItemKey;
import io.repostream.schemas.GitHubEvent;
import java.util.OptionalLong;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * What the command framework reads, keyed by item ({@code owner/repo#12}): the events about an
 * issue or pull request ({@link ItemEvents}, keyed as {@link ItemKey} keys them), and completed
 * workflow runs keyed by the pull request they ran for, so that {@code /retest} finds the pull
 * request's latest runs under the same key as its comment.
 *
 * <p>GitHub's {@code workflow_run.pull_requests} lists the pull requests whose head branch the run
 * is for; it is empty for runs of pull requests from forks (their runs are then unknown to {@code
 * /retest}, whose reply says so). A run listed for several pull requests is kept for the first only
 * (see {@link SlashCommandFunction}'s counter {@code runsOfSeveralPullRequests}).
 */
public final class CommandEvents implements FilterFunction<GitHubEvent> {
    private static final long serialVersionUID = 1L;

    private final ItemEvents items = new ItemEvents();

    @Override
    public boolean filter(GitHubEvent event) {
        return items.filter(event) || (event.repo() != null && runsPullRequest(event).isPresent());
    }

    /** The first pull request a completed workflow run ran for. */
    static OptionalLong runsPullRequest(GitHubEvent event) {
        if (!"workflow_run".equals(event.type()) || !"completed".equals(event.action())) {
            return OptionalLong.empty();
        }
        JsonNode number = event.payload().path("workflow_run").path("pull_requests").path(0);
        number = number.path("number");
        return number.canConvertToLong() && number.asLong() > 0
                ? OptionalLong.of(number.asLong())
                : OptionalLong.empty();
    }

    /** {@code owner/repo#12}: the item, or the pull request a run ran for. */
    public static final class Key implements KeySelector<GitHubEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(GitHubEvent event) {
            OptionalLong pr = runsPullRequest(event);
            return pr.isPresent() ? event.repo() + "#" + pr.getAsLong() : ItemKey.of(event);
        }
    }
}

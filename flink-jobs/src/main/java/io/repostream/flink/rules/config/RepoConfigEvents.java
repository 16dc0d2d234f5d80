package io.repostream.flink.rules.config;

import io.repostream.schemas.ActionType;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * The events of the in-repo configuration: pushes (to a default branch that change {@code
 * .github/repostream.yml}), installations and repositories added to them, and the answers of its
 * file reads; keyed by owner, so that an organization's defaults and its repositories' files meet.
 */
public final class RepoConfigEvents implements FilterFunction<GitHubEvent> {
    private static final long serialVersionUID = 1L;

    /** The webhook event types the rule reads. */
    public static final Set<String> TYPES =
            Set.of("push", "installation", "installation_repositories", "pull_request");

    @Override
    public boolean filter(GitHubEvent event) {
        if (event.source() == EventSource.ENRICHMENT) {
            return event.repo() != null
                    && ActionType.READ_FILE.wireName().equals(event.type())
                    && RepoConfigFunction.RULE.equals(
                            event.payload().path("enrichment").path("requested_by").asText());
        }
        if (!TYPES.contains(event.type())) {
            return false;
        }
        return event.repo() != null || !accountOf(event).isEmpty();
    }

    /** The installation's account of an event without a repository, lowercase; empty if none. */
    static String accountOf(GitHubEvent event) {
        return event.payload()
                .path("installation")
                .path("account")
                .path("login")
                .asText("")
                .toLowerCase(Locale.ROOT);
    }

    /** {@code owner:<login>}: a repository's owner, or an installation's account. */
    public static final class Key implements KeySelector<GitHubEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(GitHubEvent event) {
            String repo = event.repo();
            return "owner:"
                    + (repo != null ? repo.substring(0, repo.indexOf('/')) : accountOf(event));
        }
    }
}

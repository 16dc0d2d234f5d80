package io.repostream.flink.rules.routing;

import io.repostream.schemas.ActionType;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import java.util.Set;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * The events of the routing rule: items opened, labelled, assigned, reviewed and closed, comments,
 * pushes, and the answers of its CODEOWNERS reads; keyed by installation, so that a person's open
 * assignments, cap and response time count across the repositories they work in.
 */
public final class RoutingEvents implements FilterFunction<GitHubEvent> {
    private static final long serialVersionUID = 1L;

    /** The webhook event types the rule reads. */
    public static final Set<String> TYPES =
            Set.of("issues", "pull_request", "pull_request_review", "issue_comment", "push");

    @Override
    public boolean filter(GitHubEvent event) {
        if (event.repo() == null) {
            return false;
        }
        if (event.source() == EventSource.ENRICHMENT) {
            return ActionType.READ_FILE.wireName().equals(event.type());
        }
        return TYPES.contains(event.type());
    }

    /**
     * {@code installation:<id>}; an event without one (a token's polled events) is keyed by its
     * repository's owner, {@code account:<owner>}, which is what an installation covers.
     */
    public static final class Key implements KeySelector<GitHubEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(GitHubEvent event) {
            return of(event);
        }

        public static String of(GitHubEvent event) {
            if (event.installationId() != null) {
                return "installation:" + event.installationId();
            }
            return "account:" + event.repo().substring(0, event.repo().indexOf('/'));
        }
    }
}

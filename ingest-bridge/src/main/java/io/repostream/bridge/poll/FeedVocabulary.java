package io.repostream.bridge.poll;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one table from the event feed's vocabulary to the webhooks': each type GitHub's "GitHub event
 * types" page documents ({@code GET /repos/{owner}/{repo}/events}), the webhook event of the same
 * happening, and how the feed's {@code payload.action} reads as the webhook's. Where the two
 * differ, a rule written against webhooks would misread a polled event: the feed says a review was
 * {@code created} where the webhook says {@code submitted}, and a {@code CommitCommentEvent} may
 * carry no action where the webhook says {@code created}.
 *
 * <p>A type not in the table (GitHub adds some) keeps its action and gets the webhook-style name of
 * its feed name ({@code FooBarEvent} → {@code foo_bar}).
 */
public final class FeedVocabulary {
    /**
     * How one feed type reads as its webhook.
     *
     * @param webhookEvent the webhook's {@code X-GitHub-Event}
     * @param actions feed action → webhook action, where they differ
     * @param withoutAction the webhook's action for a feed payload without one (null: the webhook
     *     has none either)
     * @param hasActions whether the webhook has actions at all (a feed action of a webhook without
     *     one is dropped)
     */
    private record Entry(
            String webhookEvent,
            Map<String, String> actions,
            String withoutAction,
            boolean hasActions) {}

    private static final Map<String, Entry> TABLE = new LinkedHashMap<>();

    static {
        same("CommitCommentEvent", "commit_comment", "created");
        none("CreateEvent", "create");
        none("DeleteEvent", "delete");
        same("DiscussionEvent", "discussion", null);
        // the webhook "fork" has no action; the feed's payload may carry one
        none("ForkEvent", "fork");
        none("GollumEvent", "gollum");
        same("IssueCommentEvent", "issue_comment", null);
        same("IssuesEvent", "issues", null);
        same("MemberEvent", "member", null);
        none("PublicEvent", "public");
        same("PullRequestEvent", "pull_request", null);
        same("PullRequestReviewCommentEvent", "pull_request_review_comment", null);
        TABLE.put(
                "PullRequestReviewEvent",
                new Entry("pull_request_review", Map.of("created", "submitted"), null, true));
        same("PullRequestReviewThreadEvent", "pull_request_review_thread", null);
        none("PushEvent", "push");
        same("ReleaseEvent", "release", null);
        same("SponsorshipEvent", "sponsorship", null);
        same("WatchEvent", "watch", null);
    }

    private FeedVocabulary() {}

    private static void same(String feedType, String webhookEvent, String withoutAction) {
        TABLE.put(feedType, new Entry(webhookEvent, Map.of(), withoutAction, true));
    }

    private static void none(String feedType, String webhookEvent) {
        TABLE.put(feedType, new Entry(webhookEvent, Map.of(), null, false));
    }

    /** Whether the table has {@code feedType}. */
    public static boolean knows(String feedType) {
        return TABLE.containsKey(feedType);
    }

    /** The webhook event of a feed type: {@code IssueCommentEvent} → {@code issue_comment}. */
    public static String webhookEvent(String feedType) {
        Entry entry = TABLE.get(feedType);
        return entry != null ? entry.webhookEvent() : snakeCase(feedType);
    }

    /**
     * The webhook's action for the feed's {@code feedAction} (null when the payload has none), or
     * null when the webhook has no action.
     */
    public static String webhookAction(String feedType, String feedAction) {
        Entry entry = TABLE.get(feedType);
        if (entry == null) {
            return feedAction;
        }
        if (!entry.hasActions()) {
            return null;
        }
        if (feedAction == null) {
            return entry.withoutAction();
        }
        return entry.actions().getOrDefault(feedAction, feedAction);
    }

    /** The feed actions the table translates for {@code feedType} (those that differ). */
    public static List<String> feedActions(String feedType) {
        Entry entry = TABLE.get(feedType);
        return entry == null ? List.of() : List.copyOf(entry.actions().keySet());
    }

    /** Every feed type in the table. */
    public static List<String> feedTypes() {
        return List.copyOf(TABLE.keySet());
    }

    private static String snakeCase(String feedType) {
        String base =
                feedType.endsWith("Event")
                        ? feedType.substring(0, feedType.length() - 5)
                        : feedType;
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                name.append('_');
            }
            name.append(Character.toLowerCase(c));
        }
        return name.toString().toLowerCase(Locale.ROOT);
    }
}

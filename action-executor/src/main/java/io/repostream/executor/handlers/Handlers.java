package io.repostream.executor.handlers;

import io.repostream.executor.github.GitHubClient;
import io.repostream.schemas.ActionType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The handler of each action type, registered by type; exactly one per type. */
public final class Handlers {
    private final Map<ActionType, ActionHandler<? super GitHubClient>> byType =
            new EnumMap<>(ActionType.class);

    /** Each handler talks to a part of GitHub that the executor's client implements. */
    public Handlers(List<? extends ActionHandler<? super GitHubClient>> handlers) {
        for (ActionHandler<? super GitHubClient> handler : handlers) {
            ActionHandler<? super GitHubClient> previous = byType.put(handler.type(), handler);
            if (previous != null) {
                throw new IllegalArgumentException(
                        "two handlers registered for " + handler.type().wireName());
            }
        }
    }

    /** A handler for every action type. */
    public static Handlers standard() {
        Handlers handlers =
                new Handlers(
                        List.of(
                                new AddLabelsHandler(),
                                new RemoveLabelHandler(),
                                new CreateCommentHandler(),
                                new CloseIssueHandler(),
                                new ReopenIssueHandler(),
                                new AddAssigneesHandler(),
                                new RemoveAssigneesHandler(),
                                new RequestReviewersHandler(),
                                RerunHandler.failedJobs(),
                                RerunHandler.workflow(),
                                new CancelWorkflowRunHandler(),
                                new MergePullRequestHandler(),
                                new CreateCheckRunHandler(),
                                new CreateCommitStatusHandler(),
                                new CreateRefHandler(),
                                new UpdateRefHandler(),
                                new DeleteRefHandler(),
                                new MergeBranchHandler()));
        for (ActionType type : ActionType.values()) {
            // reads have read handlers (ReadProcessor); notifications go to NotificationProcessor
            if (!type.read() && !type.notification()) {
                handlers.of(type);
            }
        }
        return handlers;
    }

    /**
     * @throws IllegalStateException when no handler is registered for {@code type}
     */
    public ActionHandler<? super GitHubClient> of(ActionType type) {
        ActionHandler<? super GitHubClient> handler = byType.get(type);
        if (handler == null) {
            throw new IllegalStateException("no handler registered for " + type.wireName());
        }
        return handler;
    }
}

package io.repostream.executor.handlers;

import io.repostream.schemas.ActionType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The handler of each action type, registered by type; exactly one per type. */
public final class Handlers {
    private final Map<ActionType, ActionHandler> byType = new EnumMap<>(ActionType.class);

    public Handlers(List<ActionHandler> handlers) {
        for (ActionHandler handler : handlers) {
            ActionHandler previous = byType.put(handler.type(), handler);
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
                                new MergePullRequestHandler()));
        for (ActionType type : ActionType.values()) {
            handlers.of(type);
        }
        return handlers;
    }

    /**
     * @throws IllegalStateException when no handler is registered for {@code type}
     */
    public ActionHandler of(ActionType type) {
        ActionHandler handler = byType.get(type);
        if (handler == null) {
            throw new IllegalStateException("no handler registered for " + type.wireName());
        }
        return handler;
    }
}

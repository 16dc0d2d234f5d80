package io.repostream.executor.handlers;

import io.repostream.schemas.ActionType;

/** {@code remove_assignees} with {@code params.assignees}; undone by adding the logins back. */
public final class RemoveAssigneesHandler extends AssigneeSetHandler {
    public RemoveAssigneesHandler() {
        super(ActionType.REMOVE_ASSIGNEES, false);
    }
}

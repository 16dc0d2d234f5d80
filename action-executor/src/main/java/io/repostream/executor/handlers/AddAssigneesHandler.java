package io.repostream.executor.handlers;

import io.repostream.schemas.ActionType;

/** {@code add_assignees} with {@code params.assignees}; undone by removing the logins it added. */
public final class AddAssigneesHandler extends AssigneeSetHandler {
    public AddAssigneesHandler() {
        super(ActionType.ADD_ASSIGNEES, true);
    }
}

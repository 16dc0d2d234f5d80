package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Every mutation repostream may make on GitHub. Each one declares how it is undone. */
public enum ActionType implements WireEnum {
    ADD_LABELS("add_labels", true),
    REMOVE_LABEL("remove_label", true),
    CREATE_COMMENT("create_comment", true),
    CLOSE_ISSUE("close_issue", true),
    REOPEN_ISSUE("reopen_issue", true),
    ADD_ASSIGNEES("add_assignees", true),
    REMOVE_ASSIGNEES("remove_assignees", true),
    REQUEST_REVIEWERS("request_reviewers", true),
    RERUN_FAILED_JOBS("rerun_failed_jobs", true),
    RERUN_WORKFLOW("rerun_workflow", true),
    CANCEL_WORKFLOW_RUN("cancel_workflow_run", false),
    MERGE_PULL_REQUEST("merge_pull_request", false);

    private final String wire;
    private final boolean reversible;

    ActionType(String wire, boolean reversible) {
        this.wire = wire;
        this.reversible = reversible;
    }

    @Override
    @JsonValue
    public String wireName() {
        return wire;
    }

    /** False for actions GitHub cannot undo (a merge, a cancelled run). */
    public boolean reversible() {
        return reversible;
    }

    @JsonCreator
    public static ActionType of(String wire) {
        return WireEnum.parse(ActionType.class, wire);
    }
}

package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/** Every mutation repostream may make on GitHub. Each one declares how it is undone. */
public enum ActionType implements WireEnum {
    ADD_LABELS("add_labels", true, Targets.ISSUES),
    REMOVE_LABEL("remove_label", true, Targets.ISSUES),
    CREATE_COMMENT("create_comment", true, Targets.ISSUES),
    CLOSE_ISSUE("close_issue", true, Targets.ISSUES),
    REOPEN_ISSUE("reopen_issue", true, Targets.ISSUES),
    ADD_ASSIGNEES("add_assignees", true, Targets.ISSUES),
    REMOVE_ASSIGNEES("remove_assignees", true, Targets.ISSUES),
    REQUEST_REVIEWERS("request_reviewers", true, Targets.PULLS),
    RERUN_FAILED_JOBS("rerun_failed_jobs", true, Targets.RUNS),
    RERUN_WORKFLOW("rerun_workflow", true, Targets.RUNS),
    CANCEL_WORKFLOW_RUN("cancel_workflow_run", false, Targets.RUNS),
    MERGE_PULL_REQUEST("merge_pull_request", false, Targets.PULLS);

    /** The kinds of target a type acts on; the first is what a record without one means. */
    private static final class Targets {
        // GitHub's issues API serves pull requests too (labels, comments, state, assignees)
        static final List<TargetKind> ISSUES = List.of(TargetKind.ISSUE, TargetKind.PULL_REQUEST);
        static final List<TargetKind> PULLS = List.of(TargetKind.PULL_REQUEST);
        static final List<TargetKind> RUNS = List.of(TargetKind.WORKFLOW_RUN);
    }

    private final String wire;
    private final boolean reversible;
    private final List<TargetKind> targetKinds;

    ActionType(String wire, boolean reversible, List<TargetKind> targetKinds) {
        this.wire = wire;
        this.reversible = reversible;
        this.targetKinds = targetKinds;
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

    /**
     * The kind of target a record of this type without {@code typed_target} acts on: its integer
     * {@code target} is an issue's number (which may be a pull request's: the record does not say),
     * a pull request's number, or a run id.
     */
    public TargetKind defaultTargetKind() {
        return targetKinds.get(0);
    }

    /** Whether the type can act on a target of {@code kind} (never on a kind added later). */
    public boolean actsOn(TargetKind kind) {
        return targetKinds.contains(kind);
    }

    /** The kinds of target the type acts on. */
    public List<TargetKind> targetKinds() {
        return targetKinds;
    }

    @JsonCreator
    public static ActionType of(String wire) {
        return WireEnum.parse(ActionType.class, wire);
    }
}

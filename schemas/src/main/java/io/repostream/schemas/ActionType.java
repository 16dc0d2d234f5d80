package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * Every mutation repostream may make on GitHub, each declaring how it is undone; and the reads a
 * rule may ask the executor for ({@link #read()}), whose result comes back to the job as an event
 * with {@code source: enrichment} (ARCHITECTURE.md rule 8).
 */
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
    MERGE_PULL_REQUEST("merge_pull_request", false, Targets.PULLS),
    /**
     * A read: the permission of {@code params.username} on the repository ({@code GET
     * /repos/{owner}/{repo}/collaborators/{username}/permission}), asked on behalf of the item that
     * is the target (the issue or pull request where a slash command was written).
     */
    READ_COLLABORATOR_PERMISSION("read_collaborator_permission", false, Targets.ISSUES),
    /**
     * A check run on a commit ({@code POST /repos/{owner}/{repo}/check-runs}), its head SHA the
     * typed target; params {@code name}, {@code status}, {@code conclusion}, {@code title}, {@code
     * summary} (Markdown) and optionally {@code pull_number} and {@code annotations} (at most 50:
     * {@code path}, {@code start_line}, {@code end_line}, {@code annotation_level}, {@code
     * message}). Only GitHub Apps may create check runs: with a token the executor writes a commit
     * status of the same name instead.
     */
    CREATE_CHECK_RUN("create_check_run", true, Targets.COMMITS),
    /**
     * A commit status ({@code POST /repos/{owner}/{repo}/statuses/{sha}}), the commit the typed
     * target; params {@code state} (error, failure, pending, success), {@code context}, {@code
     * description} and optionally {@code target_url}.
     */
    CREATE_COMMIT_STATUS("create_commit_status", true, Targets.COMMITS),
    /** A ref ({@code refs/heads/...}, the typed target) at {@code params.sha}; undo deletes it. */
    CREATE_REF("create_ref", true, Targets.REFS),
    /**
     * Moves a ref to {@code params.sha}, a fast-forward unless {@code params.force}; undo moves it
     * back, except a fast-forward of a protected branch, which is irreversible.
     */
    UPDATE_REF("update_ref", true, Targets.REFS),
    /** Deletes a ref; undo recreates it at the SHA it had. */
    DELETE_REF("delete_ref", true, Targets.REFS),
    /**
     * Merges {@code params.head} (a branch or SHA) into the ref with a merge commit ({@code POST
     * /repos/{owner}/{repo}/merges}, message {@code params.commit_message}); undo resets a {@code
     * repostream/queue/**} branch to its previous SHA, and is irreversible on any other branch.
     */
    MERGE_BRANCH("merge_branch", true, Targets.REFS),
    /**
     * A read: the file {@code params.path} on the branch of the typed target ({@code
     * refs/heads/<branch>}), or at {@code params.ref} (a branch, tag or SHA) when given ({@code GET
     * /repos/{owner}/{repo}/contents/{path}?ref=}). The result is GitHub's content object with the
     * decoded UTF-8 text beside it; a missing file is a failed read with status 404. The target
     * {@code refs/heads/HEAD} (no branch can be named HEAD) reads the default branch, whatever its
     * name.
     */
    READ_FILE("read_file", false, Targets.REFS),
    /**
     * A notification in a Slack channel ({@code chat.postMessage}), its typed target the
     * notification's dedup key; params {@code channel} (a channel's name or id) and {@code text}.
     * Delivered at least once: a retry, or a later notification with the same dedup key to the same
     * channel, edits the message already posted ({@code chat.update}) instead of posting another.
     * Undo edits the message to say it was withdrawn; that people saw it cannot be undone.
     */
    NOTIFY_SLACK("notify_slack", true, Targets.NOTIFICATIONS),
    /**
     * A PagerDuty Events API v2 event ({@code POST /v2/enqueue}) whose {@code dedup_key} is the
     * typed target's id; params {@code routing_key} (the <em>name</em> of a routing key in the
     * executor's settings, never the key), {@code event_action} ({@code trigger}, {@code
     * acknowledge}, {@code resolve}), and for a trigger {@code summary} and {@code severity}
     * ({@code critical}, {@code error}, {@code warning}, {@code info}). Delivered at least once:
     * PagerDuty dedups by key. Undo of a trigger resolves the alert; a page already sent cannot be
     * taken back.
     */
    PAGERDUTY_EVENT("pagerduty_event", true, Targets.NOTIFICATIONS),
    /**
     * A read: the log of the job {@code params.job_id} of the workflow run that is the typed target
     * ({@code GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs}, which answers with a redirect
     * to the log's download URL). The executor keeps the log's tail, cuts out the failing step's
     * error lines and the failed tests' names, redacts anything that looks like a secret, and
     * writes that excerpt (never the whole log) back; a log GitHub no longer keeps is a failed read
     * with status 404 or 410.
     */
    READ_JOB_LOG("read_job_log", false, Targets.RUNS),

    /**
     * A read: the commits and changed files between {@code params.base} and {@code params.head}
     * (SHAs, branches or tags; {@code GET /repos/{owner}/{repo}/compare/{base}...{head}}), asked
     * for the branch of the typed target ({@code refs/heads/<branch>}), e.g. to complete a polled
     * push that came without its commit list. The result is GitHub's comparison without the
     * patches; unknown commits are a failed read with status 404.
     */
    READ_COMPARE("read_compare", false, Targets.REFS);

    /** The kinds of target a type acts on; the first is what a record without one means. */
    private static final class Targets {
        // GitHub's issues API serves pull requests too (labels, comments, state, assignees)
        static final List<TargetKind> ISSUES = List.of(TargetKind.ISSUE, TargetKind.PULL_REQUEST);
        static final List<TargetKind> PULLS = List.of(TargetKind.PULL_REQUEST);
        static final List<TargetKind> RUNS = List.of(TargetKind.WORKFLOW_RUN);
        static final List<TargetKind> COMMITS = List.of(TargetKind.COMMIT);
        static final List<TargetKind> REFS = List.of(TargetKind.REF);
        static final List<TargetKind> NOTIFICATIONS = List.of(TargetKind.NOTIFICATION);
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

    /**
     * Whether the type only reads GitHub: no snapshot, nothing to undo, not named by a policy's
     * {@code enabled_actions} (which governs mutations); audited {@code read}, its result written
     * to {@code github.events.v1} with {@code source: enrichment}.
     */
    public boolean read() {
        return wire.startsWith("read_");
    }

    /**
     * Whether the type notifies people outside GitHub (Slack, PagerDuty): delivered at least once
     * and made idempotent by its dedup key (ARCHITECTURE.md rule 3), not sent to GitHub.
     */
    public boolean notification() {
        return targetKinds.equals(Targets.NOTIFICATIONS);
    }

    /** False for actions GitHub cannot undo (a merge, a cancelled run) and for reads. */
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

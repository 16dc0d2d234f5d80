package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.Checks;
import io.repostream.executor.github.GitHubResult;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.TargetState;
import java.util.Optional;

/**
 * {@code create_check_run}: a check run on the commit of the typed target ({@code POST
 * /repos/{owner}/{repo}/check-runs}) with {@code params.name}, {@code status}, {@code conclusion}
 * (when completed), {@code title}, {@code summary} and optionally {@code details_url}; {@code
 * pull_number} names the pull request it is about, for people and logs; {@code annotations} (at
 * most 50: path, start_line, end_line, annotation_level, message) mark lines of files. GitHub lets
 * only Apps create check runs: an executor that authenticates with a token writes a commit status
 * instead (context the name, state from status and conclusion, description the title cut to 140
 * characters; a status has no annotations), and its audit shows it (the state after is of kind
 * {@code commit_status}). Undo writes a new check run (or status): the one before again, or one
 * that says it was superseded.
 */
public final class CreateCheckRunHandler implements ActionHandler<Checks> {
    @Override
    public ActionType type() {
        return ActionType.CREATE_CHECK_RUN;
    }

    @Override
    public AppPermission permission() {
        return AppPermission.CHECKS_WRITE;
    }

    @Override
    public void validate(ActionRecord action) {
        CommitChecks.sha(action);
        Params.text(action, "name");
        String status = Params.text(action, "status");
        if (!CommitChecks.RUN_STATUSES.contains(status)) {
            throw Params.invalid(
                    action,
                    "params.status must be queued, in_progress or completed, got '" + status + "'");
        }
        String conclusion = Params.optionalText(action, "conclusion", null);
        if ("completed".equals(status) && conclusion == null) {
            throw Params.invalid(action, "params.conclusion is required when completed");
        }
        if (conclusion != null && !CommitChecks.CONCLUSIONS.contains(conclusion)) {
            throw Params.invalid(
                    action, "params.conclusion must be one of " + CommitChecks.CONCLUSIONS);
        }
        Params.text(action, "title");
        Params.text(action, "summary");
        Params.optionalText(action, "details_url", null);
        var pull = action.params().get("pull_number");
        if (pull != null && !pull.isNull() && !(pull.canConvertToLong() && pull.asLong() > 0)) {
            throw Params.invalid(action, "params.pull_number must be a positive number");
        }
        annotations(action);
    }

    private static final java.util.Set<String> LEVELS =
            java.util.Set.of("notice", "warning", "failure");

    /**
     * {@code params.annotations}: a list of {@code {path, start_line, end_line, annotation_level,
     * message}}, at most {@link Checks#MAX_ANNOTATIONS} (GitHub's limit a request).
     */
    static java.util.List<Checks.Annotation> annotations(ActionRecord action) {
        var given = action.params().get("annotations");
        if (given == null || given.isNull()) {
            return java.util.List.of();
        }
        if (!given.isArray() || given.size() > Checks.MAX_ANNOTATIONS) {
            throw Params.invalid(
                    action,
                    "params.annotations must be a list of at most "
                            + Checks.MAX_ANNOTATIONS
                            + " annotations");
        }
        java.util.List<Checks.Annotation> list = new java.util.ArrayList<>();
        for (var a : given) {
            String path = a.path("path").asText("");
            int start = a.path("start_line").asInt(0);
            int end = a.path("end_line").asInt(0);
            String level = a.path("annotation_level").asText("");
            String message = a.path("message").asText("");
            if (path.isEmpty() || start < 1 || end < start || message.isEmpty()) {
                throw Params.invalid(
                        action,
                        "params.annotations: each needs path, start_line >= 1, end_line >="
                                + " start_line and message, got "
                                + a);
            }
            if (!LEVELS.contains(level)) {
                throw Params.invalid(
                        action,
                        "params.annotations: annotation_level must be notice, warning or"
                                + " failure, got '"
                                + level
                                + "'");
            }
            list.add(new Checks.Annotation(path, start, end, level, message));
        }
        return list;
    }

    @Override
    public GitHubResult<TargetState> read(Checks github, String repo, long target) {
        throw new IllegalStateException("a check run is read by its commit and name");
    }

    @Override
    public GitHubResult<TargetState> read(Checks github, ActionRecord action) {
        String sha = CommitChecks.sha(action);
        String name = Params.text(action, "name");
        return github.writesCheckRuns()
                ? github.checkRun(action.repo(), sha, name)
                : github.commitStatus(action.repo(), sha, name);
    }

    @Override
    public GitHubResult<TargetState> read(Checks github, AuditRecord applied) {
        return CommitChecks.readApplied(github, applied);
    }

    @Override
    public TargetState intended(TargetState before, ActionRecord action) {
        String status = Params.text(action, "status");
        String conclusion = completed(action) ? Params.text(action, "conclusion") : null;
        return CommitChecks.checkRun(
                CommitChecks.sha(action),
                Params.text(action, "name"),
                status,
                conclusion,
                Params.text(action, "title"));
    }

    @Override
    public Optional<TargetState> existingEffect(
            Checks github,
            ActionRecord action,
            TargetState before,
            TargetState current,
            boolean earlierAttempt) {
        String status = Params.text(action, "status");
        String conclusion = completed(action) ? Params.text(action, "conclusion") : null;
        String title = Params.text(action, "title");
        boolean there =
                Checks.CHECK_RUN.equals(current.kind())
                        ? CommitChecks.runIs(current, status, conclusion, title)
                        : CommitChecks.statusIs(
                                current,
                                CommitChecks.stateOf(status, conclusion),
                                CommitChecks.description(title));
        return there ? Optional.of(current) : Optional.empty();
    }

    @Override
    public Mutation apply(Checks github, ActionRecord action, TargetState before) {
        String sha = CommitChecks.sha(action);
        String name = Params.text(action, "name");
        String status = Params.text(action, "status");
        String conclusion = completed(action) ? Params.text(action, "conclusion") : null;
        String title = Params.text(action, "title");
        String detailsUrl = Params.optionalText(action, "details_url", null);
        GitHubResult<TargetState> written =
                github.writesCheckRuns()
                        ? github.createCheckRun(
                                action.repo(),
                                sha,
                                new Checks.CheckRun(
                                        name,
                                        status,
                                        conclusion,
                                        title,
                                        Params.text(action, "summary"),
                                        detailsUrl,
                                        annotations(action)))
                        : github.createCommitStatus(
                                action.repo(),
                                sha,
                                CommitChecks.stateOf(status, conclusion),
                                name,
                                CommitChecks.description(title),
                                detailsUrl);
        return Mutation.answered(written.value(), written.response());
    }

    private static boolean completed(ActionRecord action) {
        return "completed".equals(Params.text(action, "status"));
    }

    @Override
    public UndoPlan<Checks> planUndo(
            String repo, long target, TargetState before, TargetState after, TargetState current) {
        throw new IllegalStateException("a check run is undone by its commit and name");
    }

    @Override
    public UndoPlan<Checks> planUndo(AuditRecord applied, TargetState before, TargetState current) {
        return CommitChecks.planUndo(applied, before, current);
    }
}

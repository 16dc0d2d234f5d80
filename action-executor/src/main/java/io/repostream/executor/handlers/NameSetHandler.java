package io.repostream.executor.handlers;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.GitHubResponse;
import io.repostream.executor.github.GitHubResult;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetState;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Adds names to, or removes names from, one set of a target: labels, assignees or requested
 * reviewers. Undo reverses exactly the names the action changed, unless one of them changed again
 * since.
 */
abstract class NameSetHandler<G> implements ActionHandler<G> {
    private final ActionType type;
    private final String param;
    private final String noun;
    private final boolean adds;
    private final AppPermission permission;

    NameSetHandler(
            ActionType type, String param, String noun, boolean adds, AppPermission permission) {
        this.type = type;
        this.permission = permission;
        this.param = param;
        this.noun = noun;
        this.adds = adds;
    }

    @Override
    public ActionType type() {
        return type;
    }

    @Override
    public AppPermission permission() {
        return permission;
    }

    /** The names of the action, from its params. */
    List<String> names(ActionRecord action) {
        return Params.names(action, param);
    }

    abstract List<String> current(TargetState state);

    abstract TargetState with(TargetState state, List<String> names);

    /**
     * Sends the addition; returns the whole set afterwards when GitHub's answer shows it (else a
     * null value), with GitHub's answer.
     */
    abstract GitHubResult<List<String>> add(G github, String repo, long target, List<String> names);

    /**
     * Sends the removal; returns the whole set afterwards when GitHub's answer shows it (else a
     * null value), with GitHub's answer.
     */
    abstract GitHubResult<List<String>> remove(
            G github, String repo, long target, List<String> names);

    /**
     * The names {@link #remove} sends in one request each: all in one by default; labels one by
     * one, since GitHub removes one label per request.
     */
    List<List<String>> removalRequests(List<String> names) {
        return List.of(names);
    }

    @Override
    public void validate(ActionRecord action) {
        names(action);
    }

    @Override
    public TargetState intended(TargetState before, ActionRecord action) {
        List<String> names = names(action);
        return with(
                before,
                adds ? States.union(current(before), names) : States.minus(current(before), names));
    }

    @Override
    public Optional<TargetState> existingEffect(
            G github,
            ActionRecord action,
            TargetState before,
            TargetState current,
            boolean earlierAttempt) {
        return pending(action, current).isEmpty() ? Optional.of(current) : Optional.empty();
    }

    @Override
    public Mutation apply(G github, ActionRecord action, TargetState before) {
        // only what is still missing (or still present): GitHub would accept the rest, but the
        // request would then claim changes that did not happen
        List<String> pending = pending(action, before);
        GitHubResult<List<String>> now =
                adds
                        ? add(github, action.repo(), action.target(), pending)
                        : remove(github, action.repo(), action.target(), pending);
        return now.value() == null
                ? Mutation.done(now)
                : Mutation.answered(with(before, now.value()), now.response());
    }

    private List<String> pending(ActionRecord action, TargetState state) {
        List<String> names = names(action);
        return adds
                ? States.minus(names, current(state))
                : States.intersection(names, current(state));
    }

    @Override
    public UndoPlan<G> planUndo(
            String repo, long target, TargetState before, TargetState after, TargetState current) {
        List<String> changed =
                adds
                        ? States.minus(current(after), current(before))
                        : States.minus(current(before), current(after));
        if (changed.isEmpty()) {
            return new UndoPlan.NothingToUndo<>(
                    "the action changed no " + noun + " on " + repo + "#" + target);
        }
        List<String> changedAgain =
                adds
                        ? States.minus(changed, current(current))
                        : States.intersection(changed, current(current));
        if (!changedAgain.isEmpty()) {
            return new UndoPlan.Conflict<>(
                    noun
                            + " "
                            + changedAgain
                            + (adds
                                    ? " added by the action were removed"
                                    : " removed by the action were added back")
                            + " on "
                            + repo
                            + "#"
                            + target
                            + " since; now "
                            + current(current));
        }
        if (adds) {
            List<Function<G, GitHubResponse>> steps =
                    removalRequests(changed).stream()
                            .<Function<G, GitHubResponse>>map(
                                    names -> gh -> remove(gh, repo, target, names).response())
                            .toList();
            return new UndoPlan.Restore<>(
                    "remove " + noun + " " + changed + " from " + repo + "#" + target, steps);
        }
        return new UndoPlan.Restore<>(
                "add " + noun + " " + changed + " back to " + repo + "#" + target,
                gh -> add(gh, repo, target, changed).response());
    }
}

package io.repostream.executor.handlers;

import io.repostream.executor.github.GitRefs;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.TargetKind;
import io.repostream.schemas.TargetState;
import io.repostream.schemas.TypedTarget;
import java.util.regex.Pattern;

/** The parts the ref handlers share: their target, a SHA parameter, what a ref's state says. */
final class RefTargets {
    /** Candidate branches the merge queue owns: resetting them harms nobody. */
    static final String QUEUE_PREFIX = "refs/heads/repostream/queue/";

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

    private RefTargets() {}

    /** The branch an action acts on, {@code refs/heads/...}. */
    static String branch(ActionRecord action) {
        TypedTarget target = action.typedTarget();
        if (target == null
                || !target.kind().equals(TargetKind.REF)
                || !target.id().startsWith("refs/heads/")) {
            throw Params.invalid(action, "the target must be a branch (refs/heads/...)");
        }
        return target.id();
    }

    /** The ref a typed target names, for reads and undo. */
    static String ref(TypedTarget target, String repo) {
        if (target == null || !target.kind().equals(TargetKind.REF)) {
            throw new IllegalArgumentException(
                    "a ref action on " + repo + " needs a typed ref target, got " + target);
        }
        return target.id();
    }

    static String sha(ActionRecord action, String field) {
        String sha = Params.text(action, field);
        if (!SHA.matcher(sha).matches()) {
            throw Params.invalid(
                    action, "params." + field + " must be a 40-digit lowercase SHA, got " + sha);
        }
        return sha;
    }

    static boolean present(TargetState state) {
        return state != null && "present".equals(state.state());
    }

    static boolean at(TargetState state, String sha) {
        return present(state) && sha.equals(state.headSha());
    }

    static TargetState present(String sha) {
        return GitRefs.present(sha);
    }

    static String name(String repo, String ref) {
        return repo + "@" + ref;
    }
}

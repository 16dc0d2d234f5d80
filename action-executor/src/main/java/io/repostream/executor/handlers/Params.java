package io.repostream.executor.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.TargetKind;
import io.repostream.schemas.TypedTarget;
import java.util.ArrayList;
import java.util.List;

/** Reads an action's parameters, failing with a message that names the parameter and target. */
final class Params {
    private Params() {}

    /** A non-empty array of non-blank strings. */
    static List<String> names(ActionRecord action, String field) {
        JsonNode node = action.params().get(field);
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw invalid(action, "params." + field + " must be a non-empty array of names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw invalid(action, "params." + field + " must hold non-blank strings only");
            }
            names.add(item.asText());
        }
        return List.copyOf(names);
    }

    static String text(ActionRecord action, String field) {
        JsonNode node = action.params().get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw invalid(action, "params." + field + " must be a non-blank string");
        }
        return node.asText();
    }

    static String optionalText(ActionRecord action, String field, String fallback) {
        JsonNode node = action.params().get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw invalid(action, "params." + field + " must be a non-blank string when present");
        }
        return node.asText();
    }

    /**
     * The run an action on a workflow run acts on: the id of its typed target, which for a record
     * without {@code typed_target} is its {@code target} ({@link ActionRecord#typedTarget()}).
     */
    static long runId(ActionRecord action) {
        TypedTarget target = action.typedTarget();
        if (!target.kind().equals(TargetKind.WORKFLOW_RUN) || target.number().isEmpty()) {
            throw invalid(action, "the target must be a workflow run, got " + target);
        }
        return target.number().getAsLong();
    }

    static IllegalArgumentException invalid(ActionRecord action, String message) {
        return new IllegalArgumentException(
                action.type().wireName() + " for " + action.targetRef() + ": " + message);
    }
}

package io.repostream.executor.support;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TypedTarget;
import io.repostream.schemas.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builds action records for tests. */
public final class Actions {
    private Actions() {}

    public static ObjectNode params() {
        return Json.mapper().createObjectNode();
    }

    public static ObjectNode names(String field, String... names) {
        ObjectNode params = params();
        ArrayNode array = params.putArray(field);
        for (String name : names) {
            array.add(name);
        }
        return params;
    }

    public static ActionRecord of(ActionType type, String repo, long target, ObjectNode params) {
        return new Builder(type, repo, target, params).build();
    }

    public static ActionRecord addLabels(String repo, long target, String... labels) {
        return of(ActionType.ADD_LABELS, repo, target, names("labels", labels));
    }

    public static Builder builder(ActionType type, String repo, long target, ObjectNode params) {
        return new Builder(type, repo, target, params);
    }

    /** Fills every field of an action with test values that any field can override. */
    public static final class Builder {
        private String actionId = "act-" + UUID.randomUUID();
        private final ActionType type;
        private final String repo;
        private final long target;
        private final ObjectNode params;
        private String producedBy = "test-rule@1";
        private Instant notBefore;
        private Instant expiresAt;
        private boolean dryRun;
        private Long installationId;
        private TypedTarget typedTarget;

        Builder(ActionType type, String repo, long target, ObjectNode params) {
            this.type = type;
            this.repo = repo;
            this.target = target;
            this.params = params;
        }

        public Builder id(String id) {
            this.actionId = id;
            return this;
        }

        public Builder producedBy(String rule) {
            this.producedBy = rule;
            return this;
        }

        public Builder notBefore(Instant at) {
            this.notBefore = at;
            return this;
        }

        public Builder expiresAt(Instant at) {
            this.expiresAt = at;
            return this;
        }

        public Builder installationId(Long id) {
            this.installationId = id;
            return this;
        }

        /** Writes {@code typed_target} (and the integer target that goes with it). */
        public Builder on(TypedTarget target) {
            this.typedTarget = target;
            return this;
        }

        public Builder dryRun(boolean on) {
            this.dryRun = on;
            return this;
        }

        public ActionRecord build() {
            ActionRecord action =
                    new ActionRecord(
                            actionId,
                            repo,
                            target,
                            type,
                            params,
                            "because the test says so",
                            List.of("evidence-1"),
                            0.9,
                            producedBy,
                            List.of("event-" + actionId),
                            installationId,
                            Instant.now(),
                            notBefore,
                            expiresAt,
                            dryRun);
            return typedTarget == null ? action : action.withTypedTarget(typedTarget);
        }
    }
}

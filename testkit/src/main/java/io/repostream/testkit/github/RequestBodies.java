package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads request bodies the way GitHub accepts them, with GitHub's 422 answers otherwise. */
final class RequestBodies {
    private RequestBodies() {}

    /** A required non-blank string field. */
    static String requiredText(JsonNode body, String field, String resource) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            throw ApiError.validation(resource, field, "missing_field");
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw ApiError.validation(resource, field, "invalid");
        }
        if (value.asText().isBlank()) {
            throw ApiError.validation(resource, field, "missing_field");
        }
        return value.asText();
    }

    /** An optional string field: null when absent or JSON null. */
    static String optionalText(JsonNode body, String field, String resource) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiError.validation(resource, field, "invalid");
        }
        return value.asText();
    }

    /**
     * Label names: {@code ["bug"]}, {@code [{"name": "bug"}]}, or either wrapped as {@code
     * {"labels": [...]}}. Null when the body names no labels at all.
     */
    static List<String> labelNames(JsonNode body) {
        JsonNode labels = body.isArray() ? body : body.path("labels");
        if (labels.isMissingNode() || labels.isNull()) {
            return null;
        }
        if (!labels.isArray()) {
            throw ApiError.validation("Label", "labels", "invalid");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode label : labels) {
            String name = label.isObject() ? label.path("name").asText("") : label.asText("");
            if (name.isBlank() || label.isContainerNode() && !label.has("name")) {
                throw ApiError.validation("Label", "name", "missing_field");
            }
            names.add(name);
        }
        return names;
    }

    /** A list of logins under {@code field}; null when absent. */
    static List<String> logins(JsonNode body, String field, String resource) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw ApiError.validation(resource, field, "invalid");
        }
        List<String> logins = new ArrayList<>();
        for (JsonNode login : value) {
            if (!login.isTextual() || login.asText().isBlank()) {
                throw ApiError.validation(resource, field, "invalid");
            }
            logins.add(login.asText());
        }
        return logins;
    }
}

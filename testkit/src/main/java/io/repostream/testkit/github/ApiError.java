package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** An error answer in GitHub's shape: {@code {"message", "documentation_url", "status"}}. */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final String DOCS = "https://docs.github.com/rest";

    final int status;
    final transient ObjectNode body;
    final transient Map<String, String> headers = new LinkedHashMap<>();

    private ApiError(int status, ObjectNode body) {
        super(status + " " + body.path("message").asText());
        this.status = status;
        this.body = body;
    }

    static ApiError of(int status, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("message", message);
        body.put("documentation_url", DOCS);
        body.put("status", String.valueOf(status));
        return new ApiError(status, body);
    }

    static ApiError notFound() {
        return of(404, "Not Found");
    }

    static ApiError badCredentials() {
        return of(401, "Bad credentials");
    }

    static ApiError requiresAuthentication() {
        return of(401, "Requires authentication");
    }

    static ApiError problemsParsingJson() {
        return of(400, "Problems parsing JSON");
    }

    /**
     * {@code 422 Validation Failed} with one entry in {@code errors}, e.g. {@code missing_field},
     * {@code invalid}, {@code already_exists}.
     */
    static ApiError validation(String resource, String field, String code) {
        ApiError error = of(422, "Validation Failed");
        error.body
                .putArray("errors")
                .addObject()
                .put("resource", resource)
                .put("field", field)
                .put("code", code);
        return error;
    }

    /** {@code 422} with a custom message, as GitHub answers some rule violations. */
    static ApiError unprocessable(String message) {
        return of(422, message);
    }

    ApiError withDocs(String url) {
        body.put("documentation_url", url);
        return this;
    }

    ApiError withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }
}

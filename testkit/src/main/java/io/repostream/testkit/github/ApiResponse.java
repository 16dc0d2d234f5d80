package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a route handler answers: status, JSON body (null for none) and extra headers. */
final class ApiResponse {
    final int status;
    final JsonNode body;
    final Map<String, String> headers = new LinkedHashMap<>();

    private ApiResponse(int status, JsonNode body) {
        this.status = status;
        this.body = body;
    }

    static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, body);
    }

    static ApiResponse created(JsonNode body) {
        return new ApiResponse(201, body);
    }

    static ApiResponse accepted(JsonNode body) {
        return new ApiResponse(202, body);
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null);
    }

    static ApiResponse of(int status, JsonNode body) {
        return new ApiResponse(status, body);
    }

    ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}

package io.repostream.executor.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Optional;

/**
 * GitHub's answer to one request: its status and rate-limit headers, its JSON body, and the next
 * page's path when the answer is one page of a list.
 *
 * @param response status and rate-limit headers; for a write whose answer was lost but whose effect
 *     was found, those of the answer that showed the effect
 * @param body the JSON body ({@link MissingNode} when there is none)
 * @param nextPage the path of the next page ({@code Link: rel="next"}), or null
 * @param etag the answer's {@code ETag}, for a conditional read later; null when it had none
 */
public record GitHubAnswer(GitHubResponse response, JsonNode body, String nextPage, String etag) {

    /** An answer without an ETag. */
    public GitHubAnswer(GitHubResponse response, JsonNode body, String nextPage) {
        this(response, body, nextPage, null);
    }

    public GitHubAnswer {
        body = body == null ? MissingNode.getInstance() : body;
    }

    /** The same answer with another body: what a found effect stands for. */
    public GitHubAnswer withBody(JsonNode other) {
        return new GitHubAnswer(response, other, null);
    }

    public Optional<String> next() {
        return Optional.ofNullable(nextPage);
    }
}

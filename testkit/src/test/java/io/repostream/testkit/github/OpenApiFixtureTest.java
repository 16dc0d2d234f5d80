package io.repostream.testkit.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The conformance check itself must be able to fail, or its green means nothing. */
class OpenApiFixtureTest {
    private static final String GET_LABELS =
            "GET /repos/{owner}/{repo}/issues/{issue_number}/labels";
    private final OpenApiFixture openApi = OpenApiFixture.load();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void acceptsALabelShapedLikeGitHubs() throws Exception {
        assertThat(openApi.violations(GET_LABELS, 200, json.readTree("[" + label() + "]")))
                .isEmpty();
    }

    @Test
    void rejectsALabelMissingARequiredField() throws Exception {
        ObjectNode label = label();
        label.remove("color");

        assertThat(openApi.violations(GET_LABELS, 200, json.readTree("[" + label + "]")))
                .anySatisfy(v -> assertThat(v).contains("color"));
    }

    @Test
    void readsNullableAsAllowingNullAndNothingElse() throws Exception {
        ObjectNode nullDescription = label().putNull("description");
        ObjectNode nullName = label().putNull("name");

        assertThat(openApi.violations(GET_LABELS, 200, json.readTree("[" + nullDescription + "]")))
                .isEmpty();
        assertThat(openApi.violations(GET_LABELS, 200, json.readTree("[" + nullName + "]")))
                .anySatisfy(v -> assertThat(v).contains("name"));
    }

    @Test
    void followsSharedDefinitionsThroughRefs() throws Exception {
        // GET an issue answers "$ref": "#/$defs/issue"; a string number must be caught there
        ObjectNode issue = json.createObjectNode().put("number", "one");

        assertThat(
                        openApi.violations(
                                "GET /repos/{owner}/{repo}/issues/{issue_number}", 200, issue))
                .anySatisfy(v -> assertThat(v).contains("number"))
                .anySatisfy(v -> assertThat(v).contains("title"));
    }

    @Test
    void aNoContentAnswerMustHaveNoBody() throws Exception {
        String removeAll = "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels";

        assertThat(openApi.violations(removeAll, 204, json.readTree("{}"))).isNotEmpty();
        assertThat(openApi.violations(removeAll, 204, json.missingNode())).isEmpty();
    }

    private ObjectNode label() {
        return json.createObjectNode()
                .put("id", 208045946)
                .put("node_id", "MDU6TGFiZWwyMDgwNDU5NDY=")
                .put("url", "http://127.0.0.1:1/repos/octo/widgets/labels/bug")
                .put("name", "bug")
                .put("description", "Something isn't working")
                .put("color", "f29513")
                .put("default", true);
    }
}

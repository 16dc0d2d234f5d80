package io.repostream.executor.reads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.executor.support.Actions;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TypedTarget;
import io.repostream.schemas.json.Json;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What a comparison read sends and what it keeps of GitHub's comparison. */
class CompareReadTest {
    private final CompareRead read = new CompareRead();

    private static ActionRecord compare(String base, String head) {
        TypedTarget branch = TypedTarget.ref("refs/heads/main");
        return Actions.builder(
                        ActionType.READ_COMPARE,
                        "acme/widgets",
                        branch.legacyTarget(),
                        Actions.params().put("base", base).put("head", head))
                .on(branch)
                .build();
    }

    static Stream<String> namesRefused() {
        return Stream.of("", " ", "a..b", "main...x", "/main", "main/", "a b", "a\nb");
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("namesRefused")
    void refusesABaseOrHeadThatIsNotOneBranchTagOrSha(String name) {
        assertThatThrownBy(() -> read.validate(compare(name, "main")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("params.base must be");
        assertThatThrownBy(() -> read.validate(compare("main", name)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("params.head must be");
    }

    @Test
    void namesTheComparisonAsItsResource() {
        read.validate(compare("6dcb09b", "release/1.0"));

        assertThat(read.resource(compare("6dcb09b", "release/1.0")))
                .isEqualTo("acme/widgets/compare/6dcb09b...release/1.0");
    }

    @Test
    void keepsWhatARuleReadsAndDropsThePatches() throws Exception {
        JsonNode github =
                Json.mapper()
                        .readTree(
                                """
                                {"status": "ahead", "ahead_by": 1, "behind_by": 0,
                                 "total_commits": 1, "url": "https://api.github.com/x",
                                 "base_commit": {"sha": "aaa", "commit": {"message": "base"}},
                                 "merge_base_commit": {"sha": "aaa"},
                                 "commits": [{"sha": "bbb", "commit": {"message": "Fixes #12"},
                                              "parents": [{"sha": "aaa", "url": "u"}]}],
                                 "files": [{"filename": "test/a.test.js", "status": "renamed",
                                            "previous_filename": "test/a.js",
                                            "patch": "@@ -1 +1 @@"}]}
                                """);

        JsonNode kept = CompareRead.trimmed(github);

        assertThat(kept)
                .isEqualTo(
                        Json.mapper()
                                .readTree(
                                        """
                                        {"status": "ahead", "ahead_by": 1, "behind_by": 0,
                                         "total_commits": 1,
                                         "base_commit": {"sha": "aaa"},
                                         "merge_base_commit": {"sha": "aaa"},
                                         "commits": [{"sha": "bbb", "message": "Fixes #12",
                                                      "parents": ["aaa"]}],
                                         "files": [{"filename": "test/a.test.js",
                                                    "status": "renamed",
                                                    "previous_filename": "test/a.js"}]}
                                        """));
    }
}

package io.repostream.flink.rules.completion;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.rules.completion.ClosingLinks.Link;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every form of link: GitHub's nine closing keywords in any case, with or without a colon, to
 * {@code #n}, {@code owner/repo#n} or the issue's URL; {@code refs #n}; branch names. Each row: the
 * text, then the links found as {@code repo#n:form}.
 */
class ClosingLinksTest {
    private static final String REPO = "octo-org/widgets";

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("close #12", List.of("octo-org/widgets#12:keyword")),
                Arguments.of("Closes #12", List.of("octo-org/widgets#12:keyword")),
                Arguments.of("closed #12", List.of("octo-org/widgets#12:keyword")),
                Arguments.of("FIX #12", List.of("octo-org/widgets#12:keyword")),
                Arguments.of("fixes #12", List.of("octo-org/widgets#12:keyword")),
                Arguments.of("Fixed #12", List.of("octo-org/widgets#12:keyword")),
                Arguments.of("resolve #12", List.of("octo-org/widgets#12:keyword")),
                Arguments.of("Resolves: #12", List.of("octo-org/widgets#12:keyword")),
                Arguments.of("resolved #12.", List.of("octo-org/widgets#12:keyword")),
                Arguments.of("Fixes Octo-Org/Gadgets#7", List.of("octo-org/gadgets#7:keyword")),
                Arguments.of(
                        "fixes https://github.com/octo-org/widgets/issues/12",
                        List.of("octo-org/widgets#12:keyword")),
                Arguments.of(
                        "Resolves #10, resolves #123, resolves octo-org/octo-repo#100",
                        List.of(
                                "octo-org/widgets#10:keyword",
                                "octo-org/widgets#123:keyword",
                                "octo-org/octo-repo#100:keyword")),
                Arguments.of(
                        "Login fix\n\nfixes #3 and refs #4",
                        List.of("octo-org/widgets#3:keyword", "octo-org/widgets#4:reference")),
                Arguments.of("refs #12", List.of("octo-org/widgets#12:reference")),
                Arguments.of("Ref: #12", List.of("octo-org/widgets#12:reference")),
                Arguments.of("references #12", List.of("octo-org/widgets#12:reference")),
                // the same issue twice: its strongest form
                Arguments.of("refs #12, fixes #12", List.of("octo-org/widgets#12:keyword")),
                // not links
                Arguments.of("see #12", List.of()),
                Arguments.of("prefix #12", List.of()),
                Arguments.of("unfixed #12", List.of()),
                Arguments.of("fixes-#12", List.of()),
                Arguments.of("fixes #0", List.of()),
                Arguments.of("fixes 12", List.of()),
                Arguments.of("fixes the #12 bug", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void findsTheLinksOfAText(String text, List<String> expected) {
        assertThat(written(ClosingLinks.inText(text, REPO))).isEqualTo(expected);
    }

    static Stream<Arguments> branches() {
        return Stream.of(
                Arguments.of("12-fix-login", List.of("octo-org/widgets#12:branch_name")),
                Arguments.of("refs/heads/12-fix-login", List.of("octo-org/widgets#12:branch_name")),
                Arguments.of("fix/12-login", List.of("octo-org/widgets#12:branch_name")),
                Arguments.of("feature/12", List.of("octo-org/widgets#12:branch_name")),
                Arguments.of("issue-12", List.of("octo-org/widgets#12:branch_name")),
                Arguments.of("fix/issue_12_login", List.of("octo-org/widgets#12:branch_name")),
                Arguments.of("gh-12", List.of("octo-org/widgets#12:branch_name")),
                Arguments.of("main", List.of()),
                Arguments.of("release/1.2", List.of()),
                Arguments.of("dependabot/npm_and_yarn/lodash-4.17.21", List.of()),
                Arguments.of("v2-login", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("branches")
    void findsTheIssueABranchIsNamedFor(String branch, List<String> expected) {
        assertThat(written(ClosingLinks.inBranch(branch, REPO))).isEqualTo(expected);
    }

    private static List<String> written(List<Link> links) {
        return links.stream().map(l -> l.ref() + ":" + l.form().wireName()).toList();
    }
}

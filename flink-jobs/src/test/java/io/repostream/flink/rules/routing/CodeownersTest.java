package io.repostream.flink.rules.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CODEOWNERS read as GitHub documents it ("About code owners", docs.github.com): the example file
 * of that page (its patterns and its comments on what they match), the last matching line winning,
 * a line without owners clearing ownership, and the three gitignore rules that do not work.
 */
class CodeownersTest {
    /** The example of GitHub's page, owners shortened. */
    static final String GITHUB_EXAMPLE =
            """
            # This is a comment.
            # Each line is a file pattern followed by one or more owners.

            *       @global-owner1 @global-owner2
            *.js    @js-owner #This is an inline comment.
            *.go docs@example.com
            *.txt @octo-org/octocats
            /build/logs/ @doctocat
            docs/*  docs@example.com
            apps/ @octocat
            /docs/ @doctocat
            /scripts/ @doctocat @octocat
            **/logs @octocat
            /apps/ @octocat
            /apps/github
            /apps/ @octocat
            /apps/github @doctocat
            """;

    @ParameterizedTest(name = "{0} is owned by [{1}]")
    @CsvSource(
            delimiter = '|',
            value = {
                // the global owners, unless a later line matches
                "README.md | @global-owner1 @global-owner2",
                // *.js: any .js file, at any depth
                "src/app/main.js | @js-owner",
                "main.js | @js-owner",
                // an email address is an owner
                "cmd/tool/main.go | docs@example.com",
                // a team
                "notes/todo.txt | @octo-org/octocats",
                // /build/logs/ matches at the root, and so does the later **/logs: the last wins
                "build/logs/today/run.log | @octocat",
                // docs/* has a slash, so it is relative to the root (and so is the later /docs/)
                "docs/getting-started.md | @doctocat",
                "nested/docs/getting-started.md | @global-owner1 @global-owner2",
                // apps/ matches a directory apps anywhere
                "src/apps/index.ts | @octocat",
                // **/logs: a logs directory anywhere
                "deep/down/logs/x.log | @octocat",
                // /scripts/ at the root only
                "scripts/deploy.sh | @doctocat @octocat",
                "tools/scripts/deploy.sh | @global-owner1 @global-owner2",
                // the last matching line wins: /apps/github's owner is @doctocat
                "apps/github/index.ts | @doctocat",
                "apps/web/index.ts | @octocat",
            })
    void theLastMatchingLineOfGitHubsExampleOwnsAPath(String path, String owners) {
        Codeowners file = Codeowners.parse(GITHUB_EXAMPLE);

        assertThat(file.ownersOf(path)).contains(List.of(owners.split(" ")));
    }

    @Test
    void aLineWithoutOwnersClearsOwnershipAndNoMatchIsNoOwner() {
        Codeowners file = Codeowners.parse("/apps/ @octocat\n/apps/github\n");

        assertThat(file.ownersOf("apps/main/index.js")).contains(List.of("@octocat"));
        assertThat(file.ownersOf("apps/github/index.js")).contains(List.of());
        assertThat(file.ownersOf("README.md")).isEmpty();
    }

    @Test
    void aDirectoryStarMatchesItsOwnFilesOnly() {
        Codeowners file = Codeowners.parse("docs/*  docs@example.com\n");

        assertThat(file.ownersOf("docs/getting-started.md")).contains(List.of("docs@example.com"));
        assertThat(file.ownersOf("docs/build-app/troubleshooting.md")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "negation | !secret.txt @octocat",
                "a character range | *.[ch] @octocat",
                "an escaped hash | \\#notes @octocat",
                "an owner that is no user, team or email | *.md octocat",
            })
    void skipsTheLinesGitHubDoesNotAccept(String name, String line) {
        Codeowners file = Codeowners.parse("* @global\n" + line + "\n*.md @docs\n");

        assertThat(file.skipped()).containsExactly(2);
        assertThat(file.entries()).hasSize(2);
        assertThat(file.ownersOf("README.md")).contains(List.of("@docs"));
    }

    @Test
    void namesItsUsersAndTeamsLowercaseOnce() {
        Codeowners file = Codeowners.parse(GITHUB_EXAMPLE);

        assertThat(file.users())
                .containsExactly(
                        "global-owner1", "global-owner2", "js-owner", "doctocat", "octocat");
        assertThat(file.teams()).containsExactly("octo-org/octocats");
    }

    @Test
    void gitHubLooksInDotGithubThenTheRootThenDocs() {
        assertThat(Codeowners.LOCATIONS)
                .containsExactly(".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS");
    }
}

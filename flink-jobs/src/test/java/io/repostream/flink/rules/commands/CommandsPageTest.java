package io.repostream.flink.rules.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.rules.Rules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/commands.md} is what {@link CommandsPage} generates from the registered rules: a
 * command added, renamed or given another permission changes the page in the same commit.
 */
class CommandsPageTest {
    /** The page, from the module's directory (where surefire runs). */
    static final Path PAGE = Path.of("..", "docs", "commands.md");

    static final String REGENERATE =
            "REPOSTREAM_REGENERATE_DOCS=1 mvn -B -ntp -o -pl flink-jobs -am test"
                    + " -Dtest=CommandsPageTest -Dsurefire.failIfNoSpecifiedTests=false";

    @Test
    void theCommittedHelpPageIsWhatTheCodeGenerates() throws Exception {
        String generated = CommandsPage.markdown(CommandRegistry.of(Rules.REGISTERED));
        if (System.getenv("REPOSTREAM_REGENERATE_DOCS") != null) {
            Files.writeString(PAGE, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(PAGE) ? Files.readString(PAGE, StandardCharsets.UTF_8) : "";

        assertThat(committed)
                .as(
                        "docs/commands.md differs from what the registered rules' commands"
                                + " generate; regenerate it with:\n  "
                                + REGENERATE
                                + "\n")
                .isEqualTo(generated);
    }

    @Test
    void thePageListsEveryCommandWithItsRuleSectionAndWhoMayRunIt() {
        String page = CommandsPage.markdown(CommandRegistry.of(Rules.REGISTERED));

        assertThat(page)
                .contains(
                        "| `/close` | `/close [completed\\|not_planned]` | Closes the issue or"
                                + " pull request, as completed (the default) or not planned. |"
                                + " triage or above | yes | `triage-label@1` | `triage:` |")
                .contains("| `/reopen` |")
                .contains("yes, where lifecycle closed it | `lifecycle@1` | `lifecycle:` |")
                .contains("| `/help` | `/help` |")
                .contains("| anyone | no | `slash-commands@1` | `commands:` |");
        for (CommandRegistry.Declared d : CommandRegistry.of(Rules.REGISTERED).declared()) {
            assertThat(page).contains("| `" + d.command().written() + "` |");
            assertThat(d.command().summary()).as(d.command().written()).isNotBlank();
        }
    }
}

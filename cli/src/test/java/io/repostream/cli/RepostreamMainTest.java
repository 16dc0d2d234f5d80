package io.repostream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.serviceconfig.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The launcher's dispatch: each subcommand is its service's own command line. */
class RepostreamMainTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = RepostreamMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Stream<Arguments> commands() {
        return Stream.of(
                // args, exit code, text expected on stdout, text expected on stderr
                Arguments.of(new String[] {"--help"}, ExitCodes.OK, "Usage: repostream", ""),
                Arguments.of(new String[] {"--version"}, ExitCodes.OK, "repostream 0.1.0", ""),
                Arguments.of(new String[] {}, ExitCodes.CANNOT_START, "", "a command is required"),
                Arguments.of(
                        new String[] {"deploy"}, ExitCodes.CANNOT_START, "", "Unmatched argument"),
                Arguments.of(
                        new String[] {"demo", "--help"},
                        ExitCodes.OK,
                        "Usage: repostream demo",
                        ""),
                Arguments.of(
                        new String[] {"bridge", "--help"},
                        ExitCodes.OK,
                        "Usage: repostream bridge",
                        ""),
                Arguments.of(
                        new String[] {"executor", "--help"},
                        ExitCodes.OK,
                        "Usage: repostream executor",
                        ""),
                Arguments.of(
                        new String[] {"executor", "run", "--help"},
                        ExitCodes.OK,
                        "Usage: repostream executor run",
                        ""),
                Arguments.of(
                        new String[] {"console", "--help"},
                        ExitCodes.OK,
                        "Usage: repostream console",
                        ""),
                Arguments.of(
                        new String[] {"app", "--help"}, ExitCodes.OK, "Usage: repostream app", ""),
                Arguments.of(
                        new String[] {"app", "create", "--help"},
                        ExitCodes.OK,
                        "--webhook-url",
                        ""),
                Arguments.of(
                        new String[] {"app", "create"},
                        ExitCodes.CANNOT_START,
                        "",
                        "Missing required option: '--webhook-url"),
                Arguments.of(
                        new String[] {"bridge", "--no-such-option"},
                        ExitCodes.CANNOT_START,
                        "",
                        "Unknown option: '--no-such-option'"),
                Arguments.of(
                        new String[] {"app", "manifest", "--rules", "nosuch"},
                        ExitCodes.CANNOT_START,
                        "",
                        "repostream: no rule owns the policy section 'nosuch'"));
    }

    @ParameterizedTest(name = "repostream {0} exits {1}")
    @MethodSource("commands")
    void dispatchesEachCommandToItsServicesCommandLine(
            String[] args, int code, String inOut, String inErr) {
        Run run = run(args);
        assertThat(run.code()).as(run.toString()).isEqualTo(code);
        assertThat(run.out()).contains(inOut);
        assertThat(run.err()).contains(inErr);
    }

    @org.junit.jupiter.api.Test
    void theHelpListsEveryCommandAndTheExitCodes() {
        Run run = run("--help");
        assertThat(run.out())
                .contains("demo", "bridge", "job", "executor", "console", "trainer", "app")
                .contains("Exit codes: 0");
    }
}

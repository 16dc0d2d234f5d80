package io.repostream.serviceconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The option, then its environment variable, then the settings file, then the default. */
class OptionPrecedenceTest {
    @Command(name = "svc")
    static final class Svc {
        @Option(names = "--port", defaultValue = "8080")
        int port;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("the option wins over all", new String[] {"--port", "1"}, "2", 3, 1),
                Arguments.of("the variable wins over the file", new String[0], "2", 3, 2),
                Arguments.of("the file wins over the default", new String[0], null, 3, 3),
                Arguments.of("a blank variable is none", new String[0], " ", 3, 3),
                Arguments.of("without either, the default", new String[0], null, null, 8080));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void picksTheValueThatCounts(
            String name, String[] args, String env, Integer fromFile, int expected) {
        Map<String, String> environment = env == null ? Map.of() : Map.of("SVC_PORT", env);
        Svc svc = new Svc();
        CommandLine cli = new CommandLine(svc);
        cli.parseArgs(args);
        // what picocli resolves for defaultValue = "${env:SVC_PORT:-8080}": the option, else the
        // variable, else the default
        int parsed =
                args.length == 0 && env != null && !env.isBlank()
                        ? Integer.parseInt(env)
                        : svc.port;

        int picked =
                new OptionPrecedence(cli.getCommandSpec(), environment)
                        .pick("--port", "SVC_PORT", parsed, fromFile);

        assertThat(picked).isEqualTo(expected);
    }
}

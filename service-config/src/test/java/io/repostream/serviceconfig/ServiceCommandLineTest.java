package io.repostream.serviceconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class ServiceCommandLineTest {
    @Command(name = "some-service", subcommands = Sub.class)
    static final class Service implements Callable<Integer> {
        @Option(names = "--port")
        int port;

        @Option(names = "--timeout", defaultValue = "PT1S")
        java.time.Duration timeout;

        Supplier<RuntimeException> failure;

        @Override
        public Integer call() {
            if (failure != null) {
                throw failure.get();
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "sub")
    static final class Sub implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalArgumentException("no such action a1");
        }
    }

    private final StringWriter err = new StringWriter();

    private int run(Service service, String... args) {
        CommandLine cli = ServiceCommandLine.of(service);
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    static Stream<Arguments> startFailures() {
        return Stream.of(
                Arguments.of(
                        (Supplier<RuntimeException>)
                                () -> new IllegalArgumentException("no webhook secret configured")),
                Arguments.of(
                        (Supplier<RuntimeException>)
                                () -> new IllegalStateException("no webhook secret configured")),
                Arguments.of(
                        (Supplier<RuntimeException>)
                                () ->
                                        new UncheckedIOException(
                                                "no webhook secret configured",
                                                new java.io.IOException("x"))));
    }

    @ParameterizedTest
    @MethodSource("startFailures")
    void aStartFailureIsOneLineNamingTheServiceAndExitCodeTwo(Supplier<RuntimeException> f) {
        Service service = new Service();
        service.failure = f;

        assertThat(run(service)).isEqualTo(ExitCodes.CANNOT_START).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("some-service: no webhook secret configured\n");
    }

    @Test
    void aSubcommandsFailureNamesTheService() {
        assertThat(run(new Service(), "sub")).isEqualTo(ExitCodes.CANNOT_START);
        assertThat(err.toString()).isEqualTo("some-service: no such action a1\n");
    }

    @Test
    void aBadOptionIsAUsageErrorWithTheSameCode() {
        assertThat(run(new Service(), "--port", "eighty")).isEqualTo(ExitCodes.CANNOT_START);
        assertThat(err.toString()).contains("'eighty'").contains("--port");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "500ms,500",
        "5s,5000",
        "PT2M,120000",
        "1h,3600000"
    })
    void aDurationOptionTakesTheSameFormsAsASettingsFile(String text, long millis) {
        Service service = new Service();
        ServiceCommandLine.of(service).parseArgs("--timeout", text);

        assertThat(service.timeout).isEqualTo(java.time.Duration.ofMillis(millis));
    }

    @Test
    void aBadDurationIsAUsageErrorNamingTheForms() {
        assertThat(run(new Service(), "--timeout", "soon")).isEqualTo(ExitCodes.CANNOT_START);
        assertThat(err.toString())
                .contains(
                        "Invalid value for option '--timeout': must be a duration like 500ms, 5s,"
                                + " 10m, 24h or PT5S, got 'soon'");
    }

    @Test
    void aBugIsNotDisguisedAsAConfigurationMistake() {
        Service service = new Service();
        service.failure = () -> new NullPointerException("bug");

        assertThat(run(service)).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString())
                .contains("java.lang.NullPointerException: bug")
                .contains("\tat ");
    }
}

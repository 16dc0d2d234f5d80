package io.repostream.serviceconfig;

import java.io.UncheckedIOException;
import java.time.Duration;
import picocli.CommandLine;

/**
 * A service's command line with the handling every service shares: a start failure (a bad setting,
 * an unreadable file, an unreachable Kafka or database, thrown as {@link IllegalArgumentException},
 * {@link IllegalStateException} or {@link UncheckedIOException}) prints one line, {@code <service>:
 * <reason>}, instead of a stack trace, and exits {@link ExitCodes#CANNOT_START}. Any other
 * exception is a bug and propagates with its trace.
 */
public final class ServiceCommandLine {
    private ServiceCommandLine() {}

    /**
     * @param command the {@code @Command}-annotated service (its name prefixes errors)
     */
    public static CommandLine of(Object command) {
        return new CommandLine(command)
                .registerConverter(Duration.class, ServiceCommandLine::duration)
                .setExecutionExceptionHandler(
                        (error, cli, parsed) -> {
                            if (error instanceof IllegalArgumentException
                                    || error instanceof IllegalStateException
                                    || error instanceof UncheckedIOException) {
                                cli.getErr()
                                        .println(
                                                cli.getCommandSpec().root().name()
                                                        + ": "
                                                        + error.getMessage());
                                cli.getErr().flush();
                                return ExitCodes.CANNOT_START;
                            }
                            throw error;
                        });
    }

    private static Duration duration(String text) {
        try {
            return SettingsBinding.duration(text, "", "");
        } catch (IllegalArgumentException e) {
            // picocli puts "Invalid value for option '--name': " in front
            throw new CommandLine.TypeConversionException(
                    "must be a duration like 500ms, 5s, 10m, 24h or PT5S, got '" + text + "'");
        }
    }
}

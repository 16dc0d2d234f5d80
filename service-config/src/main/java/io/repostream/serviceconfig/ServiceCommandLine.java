package io.repostream.serviceconfig;

import java.io.UncheckedIOException;
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
}

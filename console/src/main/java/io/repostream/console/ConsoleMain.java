package io.repostream.console;

import io.repostream.serviceconfig.ExitCodes;
import io.repostream.serviceconfig.KafkaOptions;
import io.repostream.serviceconfig.ServiceCommandLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code repostream-console}: indexes the topics into PostgreSQL and serves the pages until
 * stopped. The database password comes from a file or an environment variable, never from the
 * command line, where {@code ps} shows it.
 */
@Command(
        name = "repostream-console",
        mixinStandardHelpOptions = true,
        version = "repostream console 0.1.0",
        description =
                "Operator console: indexes github.actions.v1, github.snapshots.v1,"
                        + " github.audit.v1 and github.events.v1 into PostgreSQL and serves the Actions pages (live),"
                        + " each action's diff and audit trail, and their JSON API.",
        footer = {
            "",
            "Exit codes: 0 stopped on request; 2 could not start (the reason on one line)."
        })
public final class ConsoleMain implements Callable<Integer> {
    /** {@code --bootstrap-servers}, {@code --kafka-properties-file}: as every service has them. */
    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Option(
            names = "--database-url",
            defaultValue =
                    "${env:REPOSTREAM_CONSOLE_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/repostream_console}",
            description =
                    "JDBC URL of the console's PostgreSQL database; its schema is migrated on start"
                            + " (env REPOSTREAM_CONSOLE_DATABASE_URL; default ${DEFAULT-VALUE})")
    String databaseUrl;

    @Option(
            names = "--database-user",
            defaultValue = "${env:REPOSTREAM_CONSOLE_DATABASE_USER:-repostream_console}",
            description =
                    "PostgreSQL user (env REPOSTREAM_CONSOLE_DATABASE_USER; default"
                            + " ${DEFAULT-VALUE})")
    String databaseUser;

    @Option(
            names = "--database-password-file",
            description =
                    "file holding the PostgreSQL password; otherwise the env var"
                            + " REPOSTREAM_CONSOLE_DATABASE_PASSWORD is read (may be empty)")
    Path databasePasswordFile;

    @Option(
            names = "--host",
            defaultValue = "${env:REPOSTREAM_CONSOLE_HOST:-" + ConsoleConfig.DEFAULT_HOST + "}",
            description =
                    "address the web server binds; 0.0.0.0 in a pod (env REPOSTREAM_CONSOLE_HOST;"
                            + " default ${DEFAULT-VALUE})")
    String host;

    @Option(
            names = "--port",
            defaultValue = "${env:REPOSTREAM_CONSOLE_PORT:-" + ConsoleConfig.DEFAULT_PORT + "}",
            description = "web server port (env REPOSTREAM_CONSOLE_PORT; default ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--github-web-url",
            defaultValue =
                    "${env:REPOSTREAM_GITHUB_WEB_URL:-"
                            + ConsoleConfig.DEFAULT_GITHUB_WEB_URL
                            + "}",
            description =
                    "GitHub's web address, for links to items (env REPOSTREAM_GITHUB_WEB_URL;"
                            + " default ${DEFAULT-VALUE})")
    String githubWebUrl;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for tests and embedding. */
    public static CommandLine commandLine() {
        return ServiceCommandLine.of(new ConsoleMain());
    }

    /** The configuration the options describe. */
    ConsoleConfig config() {
        return new ConsoleConfig(
                kafka.bootstrapServers(),
                kafka.properties(),
                databaseUrl,
                databaseUser,
                password(),
                host,
                port,
                githubWebUrl);
    }

    @Override
    public Integer call() throws InterruptedException {
        ConsoleConfig config = config();
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<Console> running = new AtomicReference<>();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    Console console = running.get();
                                    if (console != null) {
                                        console.close();
                                    }
                                    stop.countDown();
                                },
                                "console-shutdown"));
        running.set(Console.start(config));
        stop.await();
        return ExitCodes.OK;
    }

    private String password() {
        if (databasePasswordFile == null) {
            return System.getenv("REPOSTREAM_CONSOLE_DATABASE_PASSWORD");
        }
        try {
            return Files.readString(databasePasswordFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the database password file " + databasePasswordFile);
        }
    }
}

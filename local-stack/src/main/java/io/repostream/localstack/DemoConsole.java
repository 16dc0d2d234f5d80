package io.repostream.localstack;

import io.repostream.console.Console;
import io.repostream.console.ConsoleConfig;
import io.repostream.testkit.postgres.LocalPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The console beside the demo: a throw-away PostgreSQL (when one is installed) and the console on
 * it, reading the demo's Kafka. Without PostgreSQL the demo runs without the console and says why.
 */
final class DemoConsole implements AutoCloseable {
    private final Path dir;
    private final LocalPostgres postgres;
    private final Console console;

    private DemoConsole(Path dir, LocalPostgres postgres, Console console) {
        this.dir = dir;
        this.postgres = postgres;
        this.console = console;
    }

    /**
     * Starts PostgreSQL and the console on {@code port} (any free port if that one is taken), or
     * returns why it could not. With the executor's admin API ({@code adminUrl} and its token;
     * null: none) the console can undo.
     */
    static Result start(String bootstrapServers, int port, String adminUrl, String adminToken) {
        Optional<String> unavailable = LocalPostgres.unavailable();
        if (unavailable.isPresent()) {
            return new Result(null, unavailable.get());
        }
        LocalPostgres postgres = null;
        Path dir = null;
        try {
            // as root PostgreSQL runs as another user, who must be able to reach its directory
            dir =
                    Files.createTempDirectory(
                            "repostream-demo-pg-",
                            PosixFilePermissions.asFileAttribute(
                                    PosixFilePermissions.fromString("rwxr-xr-x")));
            postgres = LocalPostgres.start(dir.resolve("data"));
            // PostgreSQL is a process of its own: Ctrl-C (--keep-running) must stop it too
            LocalPostgres started = postgres;
            Path startedDir = dir;
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        started.close();
                                        delete(startedDir);
                                    },
                                    "demo-postgres-stop"));
            String url = postgres.newDatabase("console");
            Console console;
            try {
                console =
                        Console.start(
                                config(
                                        bootstrapServers,
                                        url,
                                        postgres.user(),
                                        port,
                                        adminUrl,
                                        adminToken));
            } catch (IllegalStateException portTaken) {
                console =
                        Console.start(
                                config(
                                        bootstrapServers,
                                        url,
                                        postgres.user(),
                                        0,
                                        adminUrl,
                                        adminToken));
            }
            return new Result(new DemoConsole(dir, postgres, console), null);
        } catch (IOException | RuntimeException e) {
            if (postgres != null) {
                postgres.close();
            }
            delete(dir);
            return new Result(null, e.getMessage());
        }
    }

    private static ConsoleConfig config(
            String bootstrap,
            String url,
            String user,
            int port,
            String adminUrl,
            String adminToken) {
        ConsoleConfig config =
                new ConsoleConfig(
                        bootstrap,
                        Map.of(),
                        url,
                        user,
                        "",
                        "127.0.0.1",
                        port,
                        "https://github.com");
        return adminUrl == null ? config : config.withExecutorAdmin(adminUrl, adminToken);
    }

    String url() {
        return "http://127.0.0.1:" + console.port();
    }

    /** The One action page of {@code actionId}. */
    String actionUrl(String actionId) {
        return url() + "/action?id=" + URLEncoder.encode(actionId, StandardCharsets.UTF_8);
    }

    /** Waits (up to {@code timeout}) until the console has indexed {@code actionId}. */
    boolean awaitIndexed(String actionId, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        URI api =
                URI.create(
                        url()
                                + "/api/action?id="
                                + URLEncoder.encode(actionId, StandardCharsets.UTF_8));
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            try {
                HttpResponse<Void> r =
                        http.send(
                                HttpRequest.newBuilder(api).build(),
                                HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not answering yet
            }
            Thread.sleep(200);
        }
        return false;
    }

    @Override
    public void close() {
        console.close();
        postgres.close();
        delete(dir);
    }

    /** The throw-away cluster's files go with it. */
    /**
     * Deletes {@code dir}; nothing to say when it is gone already (close, then the Ctrl-C hook).
     */
    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** The started console, or why it was not started. */
    record Result(DemoConsole console, String whyNot) {}
}

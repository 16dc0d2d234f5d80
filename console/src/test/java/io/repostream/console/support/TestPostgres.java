package io.repostream.console.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster for the module's tests: Debian's {@code postgresql} package's
 * {@code initdb} and {@code pg_ctl}, a data directory under {@code target/}, a free loopback port,
 * no Unix socket. One cluster serves every test class of the JVM ({@link #shared()}); each class
 * takes a database of its own ({@link #newDatabase(String)}). PostgreSQL refuses to run as root,
 * and CI runs as root: then the cluster runs as the user {@value #OS_USER} (which {@code .ci/run}
 * creates).
 */
public final class TestPostgres {
    static final String OS_USER = "repostream-pg";
    private static final String SUPERUSER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres shared;

    private final Path bin;
    private final Path dataDir;
    private final int port;
    private final boolean asOtherUser;

    private TestPostgres(Path bin, Path dataDir, int port, boolean asOtherUser) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.port = port;
        this.asOtherUser = asOtherUser;
    }

    /** The JVM's one cluster, started on first use and stopped when the JVM exits. */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            TestPostgres pg = start(Paths.get("target", "postgres").toAbsolutePath());
            Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "test-postgres-stop"));
            shared = pg;
        }
        return shared;
    }

    static TestPostgres start(Path dataDir) {
        Path bin = postgresBin();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            stopLeftover(bin, dataDir, root);
            deleteTree(dataDir);
            Files.createDirectories(dataDir);
            if (root) {
                run(List.of("chown", OS_USER, dataDir.toString()), false);
            }
            int port = freePort();
            TestPostgres pg = new TestPostgres(bin, dataDir, port, root);
            pg.pg(
                    "initdb",
                    "-D",
                    dataDir.toString(),
                    "-U",
                    SUPERUSER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-locale",
                    "--no-sync");
            // durability off: a test cluster is thrown away; loopback TCP only
            pg.pg(
                    "pg_ctl",
                    "start",
                    "-w",
                    "-t",
                    "60",
                    "-D",
                    dataDir.toString(),
                    "-l",
                    dataDir.resolve("server.log").toString(),
                    "-o",
                    "-p "
                            + port
                            + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                            + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                            + " -c max_connections=200");
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new, empty database; returns its JDBC URL. */
    public String newDatabase(String prefix) {
        String name =
                prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_")
                        + "_"
                        + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return SUPERUSER;
    }

    public int port() {
        return port;
    }

    public synchronized void stop() {
        try {
            pg("pg_ctl", "stop", "-m", "immediate", "-w", "-D", dataDir.toString());
        } catch (RuntimeException | IOException e) {
            System.err.println("could not stop the test PostgreSQL in " + dataDir + ": " + e);
        }
    }

    private void pg(String program, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        run(command, asOtherUser);
    }

    private static void stopLeftover(Path bin, Path dataDir, boolean root) throws IOException {
        if (!Files.exists(dataDir.resolve("postmaster.pid"))) {
            return;
        }
        List<String> stop =
                List.of(
                        bin.resolve("pg_ctl").toString(),
                        "stop",
                        "-m",
                        "immediate",
                        "-w",
                        "-D",
                        dataDir.toString());
        try {
            run(stop, root);
        } catch (IllegalStateException notRunning) {
            // a crashed run's pid file: nothing to stop
        }
    }

    private static void run(List<String> command, boolean asOtherUser) throws IOException {
        List<String> full = new ArrayList<>();
        if (asOtherUser) {
            full.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + full);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", full) + " exited " + p.exitValue() + ":\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + full, e);
        }
    }

    /** {@code REPOSTREAM_PG_BIN}, or the newest {@code /usr/lib/postgresql/N/bin}. */
    static Path postgresBin() {
        String env = System.getenv("REPOSTREAM_PG_BIN");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        Path base = Paths.get("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(
                            Comparator.comparingInt(
                                    b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "no PostgreSQL under /usr/lib/postgresql: apt-get install postgresql (.ci/run does)"));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "no PostgreSQL under /usr/lib/postgresql: apt-get install postgresql (.ci/run does)",
                    e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

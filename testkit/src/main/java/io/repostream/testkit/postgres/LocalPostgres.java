package io.repostream.testkit.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster for tests and the demo: the installed PostgreSQL's {@code initdb}
 * and {@code pg_ctl} (Debian's {@code postgresql} package), a data directory of the caller's, a
 * free loopback port, no Unix socket, trust authentication on loopback, durability off. PostgreSQL
 * refuses to run as root; as root the cluster runs as the user {@value #OS_USER} (which {@code
 * .ci/run} creates). When that user cannot reach the requested data directory (a checkout under a
 * {@code mktemp -d} directory, mode 700, as CI's fresh clones are), the cluster goes to a directory
 * of its own under the system's temporary directory instead, named after the requested one (so a
 * cluster a crashed run left there is found and stopped); {@link #dataDir()} says where.
 */
public final class LocalPostgres implements AutoCloseable {
    public static final String OS_USER = "repostream-pg";
    public static final String SUPERUSER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path dataDir;
    private final int port;
    private final boolean asOtherUser;
    private final boolean relocated;
    private boolean stopped;

    private LocalPostgres(
            Path bin, Path dataDir, int port, boolean asOtherUser, boolean relocated) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.port = port;
        this.asOtherUser = asOtherUser;
        this.relocated = relocated;
    }

    /**
     * Why a cluster cannot be started here, or empty when it can: no PostgreSQL installed, or root
     * without the user {@value #OS_USER}.
     */
    public static Optional<String> unavailable() {
        if (findBin().isEmpty()) {
            return Optional.of(
                    "no PostgreSQL under /usr/lib/postgresql (apt-get install postgresql) and no"
                            + " REPOSTREAM_PG_BIN");
        }
        if (runningAsRoot() && !userExists()) {
            return Optional.of(
                    "PostgreSQL refuses to run as root and there is no user "
                            + OS_USER
                            + " to run it as (useradd --system --no-create-home "
                            + OS_USER
                            + ")");
        }
        return Optional.empty();
    }

    /**
     * Creates a new cluster in {@code dataDir} (deleting what was there, and stopping a cluster a
     * crashed run left running in it) and starts it.
     */
    public static LocalPostgres start(Path dataDir) {
        unavailable()
                .ifPresent(
                        reason -> {
                            throw new IllegalStateException(reason);
                        });
        Path bin = findBin().orElseThrow();
        boolean root = runningAsRoot();
        Path dir = dataDir.toAbsolutePath();
        try {
            if (root) {
                dir = reachableByOsUser(dir);
            }
            stopLeftover(bin, dir, root);
            deleteTree(dir);
            Files.createDirectories(dir);
            if (root) {
                run(List.of("chown", OS_USER, dir.toString()), false);
            }
            LocalPostgres pg =
                    new LocalPostgres(
                            bin, dir, freePort(), root, !dir.equals(dataDir.toAbsolutePath()));
            pg.pg(
                    "initdb",
                    "-D",
                    dir.toString(),
                    "-U",
                    SUPERUSER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-locale",
                    "--no-sync");
            pg.pg(
                    "pg_ctl",
                    "start",
                    "-w",
                    "-t",
                    "60",
                    "-D",
                    dir.toString(),
                    "-l",
                    dir.resolve("server.log").toString(),
                    "-o",
                    "-p "
                            + pg.port
                            + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                            + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                            + " -c max_connections=200");
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a new, empty database named {@code prefix_N}; returns its JDBC URL. */
    public String newDatabase(String prefix) {
        String name =
                prefix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_")
                        + "_"
                        + DATABASES.incrementAndGet();
        try {
            pg("createdb", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", SUPERUSER, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The superuser, who needs no password on loopback. */
    public String user() {
        return SUPERUSER;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            pg("pg_ctl", "stop", "-m", "immediate", "-w", "-D", dataDir.toString());
        } catch (RuntimeException | IOException e) {
            System.err.println("could not stop the PostgreSQL in " + dataDir + ": " + e);
            return;
        }
        if (relocated) {
            // outside the build's target/: nothing else would ever delete it
            try {
                deleteTree(dataDir);
            } catch (IOException e) {
                System.err.println("could not delete " + dataDir + ": " + e);
            }
        }
    }

    private void pg(String program, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        run(command, asOtherUser);
    }

    /**
     * {@code dir} when {@value #OS_USER} can traverse its parent, else a directory named after it
     * under {@code java.io.tmpdir}.
     */
    private static Path reachableByOsUser(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        try {
            run(List.of("test", "-x", dir.getParent().toString()), true);
            return dir;
        } catch (IllegalStateException unreachable) {
            String name =
                    "repostream-pg-"
                            + Integer.toHexString(dir.toString().hashCode())
                            + "-"
                            + dir.getFileName();
            Path moved = Paths.get(System.getProperty("java.io.tmpdir"), name).toAbsolutePath();
            System.err.println(
                    "PostgreSQL runs as "
                            + OS_USER
                            + ", who cannot reach "
                            + dir.getParent()
                            + ": its data directory is "
                            + moved);
            return moved;
        }
    }

    private static void stopLeftover(Path bin, Path dataDir, boolean root) throws IOException {
        if (!Files.exists(dataDir.resolve("postmaster.pid"))) {
            return;
        }
        try {
            run(
                    List.of(
                            bin.resolve("pg_ctl").toString(),
                            "stop",
                            "-m",
                            "immediate",
                            "-w",
                            "-D",
                            dataDir.toString()),
                    root);
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
        // from /, which every user can enter (runuser keeps the working directory)
        Process p =
                new ProcessBuilder(full)
                        .directory(new java.io.File("/"))
                        .redirectErrorStream(true)
                        .start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", full));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", full) + " exited " + p.exitValue() + ":\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", full), e);
        }
    }

    /** {@code REPOSTREAM_PG_BIN}, or the newest {@code /usr/lib/postgresql/N/bin}. */
    private static Optional<Path> findBin() {
        String env = System.getenv("REPOSTREAM_PG_BIN");
        if (env != null && !env.isBlank()) {
            Path bin = Paths.get(env);
            return Files.isExecutable(bin.resolve("initdb")) ? Optional.of(bin) : Optional.empty();
        }
        Path base = Paths.get("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(
                            Comparator.comparingInt(
                                    b -> Integer.parseInt(b.getParent().getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean userExists() {
        try {
            run(List.of("id", "-u", OS_USER), false);
            return true;
        } catch (IllegalStateException | IOException e) {
            return false;
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

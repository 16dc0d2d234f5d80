package io.repostream.console.support;

import io.repostream.testkit.postgres.LocalPostgres;
import java.nio.file.Paths;

/**
 * The one PostgreSQL cluster of the test JVM (data under {@code target/postgres}), started on first
 * use and stopped when the JVM exits; each test class or method takes a database of its own.
 */
public final class TestPostgres {
    private static LocalPostgres shared;

    private TestPostgres() {}

    public static synchronized LocalPostgres shared() {
        if (shared == null) {
            LocalPostgres pg = LocalPostgres.start(Paths.get("target", "postgres"));
            Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "test-postgres-stop"));
            shared = pg;
        }
        return shared;
    }
}

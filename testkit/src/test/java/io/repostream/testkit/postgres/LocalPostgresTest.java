package io.repostream.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The throw-away cluster starts wherever the build is: CI clones into a {@code mktemp -d} directory
 * (mode 700, root's), which the user PostgreSQL runs as under root cannot enter.
 */
@Timeout(120)
class LocalPostgresTest {
    @Test
    void startsWhenTheRequestedDirectoryLiesBelowOneOnlyItsOwnerMayEnter() throws Exception {
        assertThat(LocalPostgres.unavailable()).isEmpty();
        Path closed = Paths.get("target", "closed-" + ProcessHandle.current().pid());
        Files.createDirectories(closed);
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Path requested = closed.resolve("pg").resolve("data");

        Path used;
        try (LocalPostgres pg = LocalPostgres.start(requested)) {
            used = pg.dataDir();
            String url = pg.newDatabase("reach");
            assertThat(url).startsWith("jdbc:postgresql://127.0.0.1:" + pg.port() + "/reach_");
            assertThat(used.resolve("postmaster.pid")).exists();
            if ("root".equals(System.getProperty("user.name"))) {
                // the user it runs as could not have entered the requested place
                assertThat(used).isNotEqualTo(requested.toAbsolutePath());
                assertThat(used.startsWith(closed.toAbsolutePath())).isFalse();
            } else {
                assertThat(used).isEqualTo(requested.toAbsolutePath());
            }
        }
        if (!used.equals(requested.toAbsolutePath())) {
            assertThat(used).doesNotExist();
        }
    }
}

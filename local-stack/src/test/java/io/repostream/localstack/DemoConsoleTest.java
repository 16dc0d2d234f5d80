package io.repostream.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's PostgreSQL directory is deleted by close() and again by the Ctrl-C hook. */
class DemoConsoleTest {
    @TempDir Path tmp;

    @Test
    void deletingTheDirectoryASecondTimeSaysNothing() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("pg").resolve("data"));
        Files.writeString(dir.resolve("server.log"), "log");
        PrintStream err = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
        try {
            DemoConsole.delete(tmp.resolve("pg"));
            DemoConsole.delete(tmp.resolve("pg"));
        } finally {
            System.setErr(err);
        }
        assertThat(tmp.resolve("pg")).doesNotExist();
        assertThat(said.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}

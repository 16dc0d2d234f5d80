package io.repostream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/repostream} as a user runs it: a real shell script starting a real JVM (on this test's
 * classpath through {@code REPOSTREAM_CLASSPATH}, since the build writes the launcher's classpath
 * file only after the tests).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LauncherProcessTest {
    private static final Path LAUNCHER = Path.of("..", "bin", "repostream").toAbsolutePath();

    record Exit(int code, String out, String err) {}

    private static Exit launch(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("REPOSTREAM_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("REPOSTREAM_JAVA_OPTS", "-Xmx256m");
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("exited").isTrue();
            return new Exit(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void theLauncherAnswersHelpAndRefusesAnUnknownCommand() throws Exception {
        Exit help = launch("--help");
        assertThat(help.code()).as(help.err()).isZero();
        assertThat(help.out()).contains("Usage: repostream", "executor", "app");

        Exit unknown = launch("deploy");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unmatched argument at index 0: 'deploy'");
    }

    @Test
    void theJobCommandIsTheFlinkJobsOwnCommandLine() throws Exception {
        Exit help = launch("job", "--help");
        assertThat(help.code()).as(help.err()).isZero();
        assertThat(help.out()).contains("--bootstrap-servers", "--local-checkpoint-dir");

        Exit bad = launch("job", "--parallelism", "many");
        assertThat(bad.code()).isEqualTo(2);
    }
}

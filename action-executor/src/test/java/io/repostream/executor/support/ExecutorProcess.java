package io.repostream.executor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The executor as a separate JVM ({@code ExecutorMain run}), so that a test can kill it with
 * SIGKILL at any point, as a crashing node or an OOM-killed pod would die.
 */
public final class ExecutorProcess implements AutoCloseable {
    private final Process process;

    private ExecutorProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts {@code ExecutorMain run} with the test's classpath.
     *
     * @param log file that receives the child's output (appended)
     */
    public static ExecutorProcess start(List<String> arguments, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.repostream.executor.ExecutorMain");
        command.add("run");
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove("GITHUB_TOKEN");
        try {
            return new ExecutorProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the executor process", e);
        }
    }

    /** SIGKILL: no shutdown hook, no commit, no flush. */
    public void kill() {
        process.destroyForcibly();
        await(30);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private void await(int seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("executor process " + process.pid() + " did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the executor process", e);
        }
    }

    /** SIGTERM: the shutdown hook stops the executor cleanly. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}

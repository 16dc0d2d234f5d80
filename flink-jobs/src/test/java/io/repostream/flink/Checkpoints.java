package io.repostream.flink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/** The completed checkpoints a MiniCluster job wrote below a checkpoint directory. */
public final class Checkpoints {
    private Checkpoints() {}

    /** Waits until the job has completed {@code n} more checkpoints than it has now. */
    public static void awaitMore(Path checkpoints, String jobId, int n) throws Exception {
        long target = latestNumber(checkpoints, jobId) + n;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (latestNumber(checkpoints, jobId) < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " completed no checkpoint " + target);
            }
            Thread.sleep(100);
        }
    }

    /** The number of the job's latest completed checkpoint, 0 before the first. */
    public static long latestNumber(Path checkpoints, String jobId) throws IOException {
        Path dir = checkpoints.resolve(jobId);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> dirs = completed(dir)) {
            return dirs.mapToLong(Checkpoints::number).max().orElse(0);
        }
    }

    /** The directory of the job's latest completed checkpoint, to restore from. */
    public static Path latest(Path checkpoints, String jobId) throws IOException {
        try (Stream<Path> dirs = completed(checkpoints.resolve(jobId))) {
            return dirs.max(Comparator.comparingLong(Checkpoints::number))
                    .orElseThrow(() -> new AssertionError("no completed checkpoint of " + jobId));
        }
    }

    private static Stream<Path> completed(Path dir) throws IOException {
        return Files.list(dir)
                .filter(d -> d.getFileName().toString().startsWith("chk-"))
                .filter(d -> Files.exists(d.resolve("_metadata")));
    }

    private static long number(Path checkpoint) {
        return Long.parseLong(checkpoint.getFileName().toString().substring(4));
    }
}

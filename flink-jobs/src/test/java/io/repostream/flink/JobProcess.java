package io.repostream.flink;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole job, on a MiniCluster, in a JVM of its own, so that a test can kill it with {@code kill
 * -9} ({@link Process#destroyForcibly()}) as a failed machine would: no cancel, no cleanup, open
 * Kafka transactions left on the broker. Checkpoints are retained in the given directory, so the
 * next process can resume from the latest one.
 *
 * <p>Arguments: bootstrap servers, checkpoint directory, transactional id prefix, and the
 * checkpoint to restore from (optional).
 */
public final class JobProcess {
    private JobProcess() {}

    public static void main(String[] args) throws Exception {
        Path checkpoints = Path.of(args[1]);
        Configuration conf = RepostreamJob.localConfiguration(checkpoints, Duration.ofMillis(500));
        if (args.length > 3) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, Path.of(args[3]).toUri().toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        RepostreamJob.fromKafka(
                        new JobConfig(
                                args[0],
                                JobConfig.DEFAULT_GROUP_ID,
                                args[2],
                                Duration.ofMillis(500),
                                2,
                                // a quiet job's event time follows the wall clock 2 s behind
                                Duration.ofSeconds(2),
                                Duration.ofSeconds(2),
                                Map.of()))
                // the recovery test opens 70 issues of one installation: at GitHub's pace (a
                // write per 1.1 s) the job would release them over 77 s, past the test's timeout;
                // here every write is released at once (the queue's own recovery:
                // InstallationRateGovernorTest.theQueueSurvivesASnapshotAndRestore)
                .withWriteSlots(Duration.ZERO, Duration.ZERO)
                .build(env);
        env.execute("repostream-job-process");
    }

    /**
     * Starts {@code JobProcess} in a child JVM with the test's class path and JVM options, its
     * output to {@code log}.
     */
    static Process start(
            String bootstrapServers,
            Path checkpoints,
            String transactionalIdPrefix,
            Path restoreFrom,
            Path log)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("--add-opens") || option.startsWith("-XX:+Use")) {
                command.add(option);
            }
        }
        command.add("-Xmx768m");
        command.add("-Dlog4j2.configurationFile=log4j2-test.xml");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(JobProcess.class.getName());
        command.add(bootstrapServers);
        command.add(checkpoints.toString());
        command.add(transactionalIdPrefix);
        if (restoreFrom != null) {
            command.add(restoreFrom.toString());
        }
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}

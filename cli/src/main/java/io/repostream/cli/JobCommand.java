package io.repostream.cli;

import io.repostream.flink.FlinkMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code repostream job}: the Flink job's own command line ({@code FlinkMain}), run in this JVM (a
 * local MiniCluster; {@code --local-checkpoint-dir} keeps RocksDB and checkpoints there). In
 * production the same job runs on a Flink cluster ({@code flink run}, or the Helm chart).
 */
@Command(
        name = "job",
        description = {
            "Runs the Flink job locally (MiniCluster): Kafka in, actions out.",
            "Its options are FlinkMain's: repostream job --help."
        })
final class JobCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "OPTION", description = "FlinkMain's options")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        // FlinkMain exits 2 itself on a bad option; it returns when the job ends or after --help
        FlinkMain.main(args.toArray(String[]::new));
        return 0;
    }
}

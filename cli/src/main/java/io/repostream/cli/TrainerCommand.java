package io.repostream.cli;

import io.repostream.ml.TrainerMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code repostream trainer}: the CI success-prediction trainer's own command line. */
@Command(
        name = "trainer",
        description = {
            "Trains, evaluates and publishes the CI success-prediction model.",
            "Its options are TrainerMain's: repostream trainer --help."
        })
final class TrainerCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "ARG", description = "TrainerMain's arguments")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return TrainerMain.run(
                spec.commandLine().getOut(),
                spec.commandLine().getErr(),
                args.toArray(String[]::new));
    }
}

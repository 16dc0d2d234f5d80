package io.repostream.cli;

import io.repostream.bridge.BridgeMain;
import io.repostream.cli.app.AppCommand;
import io.repostream.console.ConsoleMain;
import io.repostream.executor.ExecutorMain;
import io.repostream.localstack.LocalStackMain;
import io.repostream.serviceconfig.ExitCodes;
import io.repostream.serviceconfig.ServiceCommandLine;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code bin/repostream}: one command for the demo, every service and the GitHub App. Each
 * service's subcommand is that service's own command line (same options, same help, same exit
 * codes), so the launcher adds no second vocabulary.
 */
@Command(
        name = "repostream",
        mixinStandardHelpOptions = true,
        versionProvider = RepostreamMain.Version.class,
        description = {
            "Real-time, reversible GitHub automation on Apache Kafka and Apache Flink.",
            "Each subcommand has --help."
        },
        commandListHeading = "%nCommands:%n",
        footer = {
            "",
            "Connect a real GitHub organization: repostream app create --org ORG --webhook-url URL,"
                    + " install the App, then repostream app check (docs/onboarding.md).",
            "",
            "Exit codes: 0 done or stopped on request; 1 it ran and some work failed (app check:"
                    + " something is missing); 2 could not start (a bad option or setting, an"
                    + " unreadable file, Kafka, the database or GitHub unreachable: the reason on"
                    + " one line)."
        })
public final class RepostreamMain implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The launcher's command line, with every subcommand, for tests and embedding. */
    public static CommandLine commandLine() {
        CommandLine cli = ServiceCommandLine.of(new RepostreamMain());
        add(cli, "demo", new CommandLine(new LocalStackMain()));
        add(cli, "bridge", ServiceCommandLine.of(new BridgeMain()));
        add(
                cli,
                "job",
                new CommandLine(new JobCommand()).setUnmatchedOptionsArePositionalParams(true));
        add(cli, "executor", ExecutorMain.commandLine());
        add(cli, "console", ConsoleMain.commandLine());
        add(
                cli,
                "trainer",
                new CommandLine(new TrainerCommand()).setUnmatchedOptionsArePositionalParams(true));
        add(cli, "app", AppCommand.commandLine());
        return cli;
    }

    /** A service's command line under the launcher's name for it ({@code repostream executor}). */
    private static void add(CommandLine launcher, String name, CommandLine service) {
        service.getCommandSpec().name(name);
        launcher.addSubcommand(name, service);
    }

    /** Without a subcommand: the usage, on stderr, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("repostream: a command is required");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.CANNOT_START;
    }

    /** The project version the launcher was built from. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in =
                    RepostreamMain.class.getResourceAsStream("/repostream-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"repostream " + p.getProperty("version", "(unknown version)")};
        }
    }
}

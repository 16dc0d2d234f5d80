package io.repostream.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The README's demo command: the whole pipeline in one JVM, a replay, and what happened. */
@Command(
        name = "repostream-demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs repostream end to end in one JVM: an in-process Kafka broker (KRaft), the ingest"
                    + " bridge, the Flink job on a MiniCluster (RocksDB, exactly-once), the action"
                    + " executor and a GitHub simulator.",
            "Replays real GitHub example webhooks (signed as GitHub signs them) and prints what"
                    + " each hop produced."
        })
public final class LocalStackMain implements Callable<Integer> {

    @Option(
            names = "--keep-running",
            description =
                    "Stay up after the replay (Ctrl-C stops), so you can post webhooks yourself.")
    boolean keepRunning;

    @Option(
            names = "--work-dir",
            description = "Where Kafka logs and Flink checkpoints go (default: a new temp dir).")
    Path workDir;

    @Option(
            names = "--timeout",
            defaultValue = "PT120S",
            description = "How long to wait for each hop (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--console-port",
            defaultValue = "8090",
            description =
                    "Port of the console (Actions pages), when PostgreSQL is installed; any free"
                            + " port if taken (default ${DEFAULT-VALUE}).")
    int consolePort;

    @Option(names = "--no-console", description = "Do not start the console and its PostgreSQL.")
    boolean noConsole;

    @Override
    public Integer call() throws Exception {
        Path dir = workDir != null ? workDir : LocalStack.tempWorkDir();
        System.out.println("Starting repostream locally (work dir " + dir + ") ...");
        try (LocalStack stack = LocalStack.start(dir)) {
            System.out.println("  Kafka (KRaft, in-process)  " + stack.kafka().bootstrapServers());
            System.out.println("  GitHub simulator           " + stack.github().baseUrl());
            System.out.println("  ingest bridge              " + stack.webhookUrl());
            System.out.println(
                    "  Flink job                  local MiniCluster, RocksDB, exactly-once");
            System.out.println("  action executor            -> the GitHub simulator");
            DemoConsole.Result started =
                    noConsole
                            ? new DemoConsole.Result(null, "--no-console")
                            : DemoConsole.start(
                                    stack.kafka().bootstrapServers(),
                                    consolePort,
                                    stack.executorAdminUrl(),
                                    stack.executorAdminToken());
            try (DemoConsole console = started.console()) {
                return run(stack, console, started.whyNot());
            }
        }
    }

    private int run(LocalStack stack, DemoConsole console, String whyNoConsole) throws Exception {
        System.out.println(
                console == null
                        ? "  console                    not started: " + whyNoConsole
                        : "  console                    " + console.url() + "/actions");
        DemoOutcome outcome = new DemoRun(stack, timeout).run();
        outcome.print(System.out);
        if (console != null && !outcome.actions().isEmpty()) {
            String actionId = outcome.actions().get(0).actionId();
            System.out.println(
                    console.awaitIndexed(actionId, Duration.ofSeconds(30))
                            ? "In the console: "
                                    + console.actionUrl(actionId)
                                    + (keepRunning ? "" : " (with --keep-running)")
                            : "The console did not index " + actionId + " within 30 s.");
        }
        boolean labelled =
                outcome.mutations().stream()
                        .anyMatch(
                                m ->
                                        m.startsWith(
                                                outcome.repo()
                                                        + "#"
                                                        + outcome.unlabelledIssue()
                                                        + ":+label:"));
        System.out.println();
        System.out.println(
                labelled
                        ? "OK: the unlabelled issue #"
                                + outcome.unlabelledIssue()
                                + " got its triage label."
                        : "FAILED: the unlabelled issue was not labelled.");
        if (keepRunning) {
            System.out.println("Running; Ctrl-C stops. Webhook endpoint: " + stack.webhookUrl());
            CountDownLatch forever = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
            forever.await();
        }
        return labelled ? 0 : 1;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new LocalStackMain()).execute(args);
        System.exit(code);
    }
}

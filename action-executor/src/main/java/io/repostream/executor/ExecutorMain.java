package io.repostream.executor;

import io.repostream.executor.github.RequestGate;
import io.repostream.executor.github.RestGitHubClient;
import io.repostream.executor.handlers.Handlers;
import io.repostream.executor.ledger.Ledger;
import io.repostream.executor.ledger.RecordWriter;
import io.repostream.executor.ledger.TopicTail;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.executor.notify.NotificationSettings;
import io.repostream.executor.policy.PolicyStore;
import io.repostream.executor.rollback.RollbackResult;
import io.repostream.executor.rollback.RollbackService;
import io.repostream.serviceconfig.ExitCodes;
import io.repostream.serviceconfig.KafkaOptions;
import io.repostream.serviceconfig.OptionPrecedence;
import io.repostream.serviceconfig.ServiceCommandLine;
import io.repostream.serviceconfig.SettingsBinding;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code repostream-executor run} serves; {@code repostream-executor rollback} undoes. Secrets come
 * from environment variables or files, never from the command line, where {@code ps} shows them.
 */
@Command(
        name = "repostream-executor",
        mixinStandardHelpOptions = true,
        version = "repostream action-executor 0.1.0",
        description =
                "Applies repostream actions to GitHub at most once, snapshot first, audit always; rolls them back on request.",
        footer = {
            "",
            "Exit codes: 0 done or stopped on request; 1 a rollback failed (its line says which);"
                    + " 2 could not start (the reason on one line)."
        },
        subcommands = {
            ExecutorMain.Run.class,
            ExecutorMain.Rollback.class,
            io.repostream.executor.policy.PolicyCommand.class,
            io.repostream.executor.control.KillSwitchCommand.class
        })
public final class ExecutorMain implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for tests and embedding. */
    public static CommandLine commandLine() {
        return ServiceCommandLine.of(new ExecutorMain());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Where Kafka and GitHub are, and how to authenticate to GitHub; and the settings file, whose
     * values count where neither the option nor its environment variable is given.
     */
    static final class Connection {
        @Mixin KafkaOptions kafka = new KafkaOptions();

        @Spec(Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec command;

        @Option(
                names = {"-c", "--config"},
                defaultValue = "${env:REPOSTREAM_CONFIG}",
                paramLabel = "FILE",
                description =
                        "YAML settings file (env REPOSTREAM_CONFIG): an option or its environment"
                                + " variable wins over the file, the file over the default; an"
                                + " unknown key is refused by name; no secrets in it (their"
                                + " *_file keys, or the environment)")
        Path configFile;

        private ExecutorSettings settings;

        /** The settings file's values (none without {@code --config}), read once. */
        ExecutorSettings settings() {
            if (settings == null) {
                settings =
                        configFile == null
                                ? ExecutorSettings.NONE
                                : SettingsBinding.read(configFile, ExecutorSettings.class);
            }
            return settings;
        }

        /**
         * The option's value when it was given on the command line or by its environment variable
         * {@code env} (null: none); else the settings file's, when it has one; else the option's
         * default.
         */
        <T> T pick(String option, String env, T parsed, T fromFile) {
            return new OptionPrecedence(command).pick(option, env, parsed, fromFile);
        }

        private static Path path(String file) {
            return file == null ? null : Path.of(file);
        }

        @Option(
                names = "--github-api-url",
                defaultValue = "${env:REPOSTREAM_GITHUB_API_URL:-https://api.github.com}",
                description =
                        "GitHub REST base URL (env REPOSTREAM_GITHUB_API_URL; default ${DEFAULT-VALUE})")
        String githubApiUrl;

        @Option(
                names = "--github-token-file",
                description =
                        "file holding the GitHub token; otherwise the env var GITHUB_TOKEN is read")
        Path githubTokenFile;

        @Option(
                names = "--group-id",
                defaultValue =
                        "${env:REPOSTREAM_EXECUTOR_GROUP_ID:-"
                                + ExecutorConfig.DEFAULT_GROUP_ID
                                + "}",
                description = "consumer group of the actions topic (default ${DEFAULT-VALUE})")
        String groupId;

        @Option(
                names = "--instance-id",
                defaultValue = "${env:REPOSTREAM_EXECUTOR_INSTANCE_ID}",
                description =
                        "stable id of this executor (e.g. the pod name) for Kafka static membership: a restart takes its partitions back at once (env REPOSTREAM_EXECUTOR_INSTANCE_ID)")
        String instanceId;

        @Option(
                names = "--github-app-id",
                defaultValue = "${env:REPOSTREAM_GITHUB_APP_ID}",
                description =
                        "authenticate as this GitHub App (installation token per repo) instead of with a token (env REPOSTREAM_GITHUB_APP_ID)")
        Long githubAppId;

        @Option(
                names = "--github-app-key-file",
                description =
                        "with --github-app-id: the app's PEM private key file; otherwise the env var GITHUB_APP_PRIVATE_KEY is read")
        Path githubAppKeyFile;

        ExecutorConfig config() {
            ExecutorSettings file = settings();
            ExecutorSettings.GitHub github = file.githubOrEmpty();
            ExecutorSettings.Kafka kafkaFile = file.kafkaOrEmpty();
            ExecutorSettings.Consumer consumer = file.consumerOrEmpty();
            String bootstrapServers = kafka.bootstrapServers(kafkaFile.bootstrapServers());
            String apiUrl =
                    pick(
                            "--github-api-url",
                            "REPOSTREAM_GITHUB_API_URL",
                            githubApiUrl,
                            github.apiUrl());
            Long appId =
                    pick(
                            "--github-app-id",
                            "REPOSTREAM_GITHUB_APP_ID",
                            githubAppId,
                            github.appId());
            ExecutorConfig base;
            if (appId != null) {
                String key =
                        secret(
                                pick(
                                        "--github-app-key-file",
                                        null,
                                        githubAppKeyFile,
                                        path(github.appKeyFile())),
                                "GITHUB_APP_PRIVATE_KEY",
                                "GitHub App private key");
                base = ExecutorConfig.forGitHubApp(bootstrapServers, apiUrl, appId, key);
            } else {
                String token =
                        secret(
                                pick(
                                        "--github-token-file",
                                        null,
                                        githubTokenFile,
                                        path(github.tokenFile())),
                                "GITHUB_TOKEN",
                                "GitHub token");
                base = ExecutorConfig.defaults(bootstrapServers, apiUrl, token);
            }
            return base.withGroupId(
                            pick(
                                    "--group-id",
                                    "REPOSTREAM_EXECUTOR_GROUP_ID",
                                    groupId,
                                    consumer.groupId()))
                    .withInstanceId(
                            pick(
                                    "--instance-id",
                                    "REPOSTREAM_EXECUTOR_INSTANCE_ID",
                                    instanceId,
                                    consumer.instanceId()))
                    .withKafkaProperties(kafka.properties(path(kafkaFile.propertiesFile())))
                    .withNotifications(notifications(file.notificationsOrEmpty()));
        }

        /**
         * Slack and PagerDuty from the settings file; the bot token from its file or {@code
         * SLACK_BOT_TOKEN} (none: Slack notifications fail, audited), each routing key from its
         * file.
         */
        static NotificationSettings notifications(ExecutorSettings.Notifications n) {
            String envToken = System.getenv("SLACK_BOT_TOKEN");
            String slackToken =
                    n.slackTokenFile() != null || (envToken != null && !envToken.isBlank())
                            ? secret(path(n.slackTokenFile()), "SLACK_BOT_TOKEN", "Slack bot token")
                            : null;
            java.util.Map<String, String> keys = new java.util.TreeMap<>();
            if (n.pagerdutyRoutingKeyFiles() != null) {
                n.pagerdutyRoutingKeyFiles()
                        .forEach(
                                (name, file) ->
                                        keys.put(
                                                name,
                                                secret(
                                                        path(file),
                                                        "PAGERDUTY_ROUTING_KEY",
                                                        "PagerDuty routing key '" + name + "'")));
            }
            return new NotificationSettings(
                    n.slackApiUrl(), slackToken, n.pagerdutyEventsUrl(), keys, null);
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Consume actions and apply them until stopped (SIGTERM).")
    static final class Run implements java.util.concurrent.Callable<Integer> {
        @Mixin Connection connection = new Connection();

        @Option(
                names = "--admin-port",
                defaultValue = "${env:REPOSTREAM_ADMIN_PORT:-8081}",
                description = "admin API port, -1 for none (default ${DEFAULT-VALUE})")
        int adminPort;

        @Option(
                names = "--admin-host",
                defaultValue = "${env:REPOSTREAM_ADMIN_HOST:-127.0.0.1}",
                description =
                        "address the admin API (health, metrics, rollback) binds; 0.0.0.0 in a pod"
                                + " (default ${DEFAULT-VALUE})")
        String adminHost;

        @Option(
                names = "--admin-token-file",
                description =
                        "file holding the admin API token (at least 32 characters, e.g. `openssl"
                                + " rand -hex 32`); otherwise the env var REPOSTREAM_ADMIN_TOKEN"
                                + " is read")
        Path adminTokenFile;

        @Option(
                names = "--admin-tls-cert-file",
                defaultValue = "${env:REPOSTREAM_ADMIN_TLS_CERT_FILE}",
                description =
                        "PEM certificate (chain) for the admin API: it then serves HTTPS only;"
                                + " with --admin-tls-key-file (env REPOSTREAM_ADMIN_TLS_CERT_FILE)")
        Path adminTlsCertFile;

        @Option(
                names = "--admin-tls-key-file",
                defaultValue = "${env:REPOSTREAM_ADMIN_TLS_KEY_FILE}",
                description =
                        "PEM private key (PKCS#8 or PKCS#1) of --admin-tls-cert-file (env"
                                + " REPOSTREAM_ADMIN_TLS_KEY_FILE)")
        Path adminTlsKeyFile;

        @Option(
                names = "--write-spacing",
                defaultValue = "PT1S",
                description =
                        "minimum gap between two writes to GitHub, e.g. 1s, 500ms or PT1S (default"
                                + " ${DEFAULT-VALUE})")
        Duration writeSpacing;

        @Option(
                names = "--content-creations-per-minute",
                defaultValue = "80",
                description =
                        "most comments in any 60 s, per installation (default ${DEFAULT-VALUE})")
        int creationsPerMinute;

        @Option(
                names = "--content-creations-per-hour",
                defaultValue = "500",
                description =
                        "most comments in any hour, per installation (default ${DEFAULT-VALUE})")
        int creationsPerHour;

        @Option(
                names = "--kill-switch",
                description = "start with every action skipped (audited as skipped_disabled)")
        boolean killSwitch;

        /**
         * The configuration of the options, their environment variables and the settings file; the
         * secrets read from their files or the environment.
         */
        ExecutorConfig config() {
            Connection c = connection;
            ExecutorSettings file = c.settings();
            ExecutorSettings.Pacing pacing = file.pacingOrEmpty();
            ExecutorSettings.Admin admin = file.adminOrEmpty();
            int port = c.pick("--admin-port", "REPOSTREAM_ADMIN_PORT", adminPort, admin.port());
            Path tlsCert =
                    c.pick(
                            "--admin-tls-cert-file",
                            "REPOSTREAM_ADMIN_TLS_CERT_FILE",
                            adminTlsCertFile,
                            Connection.path(admin.tlsCertFile()));
            Path tlsKey =
                    c.pick(
                            "--admin-tls-key-file",
                            "REPOSTREAM_ADMIN_TLS_KEY_FILE",
                            adminTlsKeyFile,
                            Connection.path(admin.tlsKeyFile()));
            ExecutorConfig config =
                    c.config()
                            .withPacing(
                                    c.pick(
                                            "--write-spacing",
                                            null,
                                            writeSpacing,
                                            pacing.writeSpacing()),
                                    c.pick(
                                            "--content-creations-per-minute",
                                            null,
                                            creationsPerMinute,
                                            pacing.contentCreationsPerMinute()))
                            .withContentCreationsPerHour(
                                    c.pick(
                                            "--content-creations-per-hour",
                                            null,
                                            creationsPerHour,
                                            pacing.contentCreationsPerHour()))
                            .withKillSwitch(killSwitch || Boolean.TRUE.equals(file.killSwitch()))
                            .withAdminHost(
                                    c.pick(
                                            "--admin-host",
                                            "REPOSTREAM_ADMIN_HOST",
                                            adminHost,
                                            admin.host()));
            if (port >= 0) {
                config =
                        config.withAdmin(
                                port,
                                secret(
                                        c.pick(
                                                "--admin-token-file",
                                                null,
                                                adminTokenFile,
                                                Connection.path(admin.tokenFile())),
                                        "REPOSTREAM_ADMIN_TOKEN",
                                        "admin token"));
                if (tlsCert != null || tlsKey != null) {
                    config = config.withAdminTls(tlsCert, tlsKey);
                }
            }
            return config;
        }

        @Override
        public Integer call() throws InterruptedException {
            ExecutorConfig config = config();
            CountDownLatch stop = new CountDownLatch(1);
            AtomicReference<ActionExecutor> running = new AtomicReference<>();
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        ActionExecutor executor = running.get();
                                        if (executor != null) {
                                            executor.close();
                                        }
                                        stop.countDown();
                                    },
                                    "executor-shutdown"));
            running.set(ActionExecutor.start(config));
            stop.await();
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description =
                    "Undo applied actions: one by --action-id, or all of a rule with --produced-by (and optionally --repo, --from, --to). Targets changed since are reported as conflicts and left alone.")
    static final class Rollback implements java.util.concurrent.Callable<Integer> {
        @Mixin Connection connection = new Connection();

        @ArgGroup(exclusive = true, multiplicity = "1")
        Selection selection;

        static final class Selection {
            @Option(names = "--action-id", description = "the action to undo")
            String actionId;

            @Option(
                    names = "--produced-by",
                    description = "undo every applied action of this rule, e.g. triage-label@1")
            String producedBy;
        }

        @Option(names = "--repo", description = "with --produced-by: only this owner/repo")
        String repo;

        @Option(
                names = "--from",
                description = "with --produced-by: applied at or after this instant (ISO-8601)")
        Instant from;

        @Option(
                names = "--to",
                description = "with --produced-by: applied before this instant (ISO-8601)")
        Instant to;

        @Option(
                names = "--dry-run",
                description = "print what would be undone; send and audit nothing")
        boolean dryRun;

        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ExecutorConfig config = connection.config();
            ExecutorMetrics metrics = new ExecutorMetrics();
            Ledger ledger = new Ledger();
            PrintWriter out = spec.commandLine().getOut();
            try (TopicTail tail = new TopicTail(config.kafkaClient(), ledger, new PolicyStore());
                    RecordWriter writer =
                            new RecordWriter(
                                    config.kafkaClient(), "repostream-rollback-cli", ledger)) {
                tail.catchUp(Duration.ofMinutes(5));
                RollbackService service =
                        new RollbackService(
                                new RestGitHubClient(
                                        config, new RequestGate(config, metrics), metrics),
                                Handlers.standard(),
                                ledger,
                                writer,
                                metrics,
                                Clock.systemUTC());
                List<RollbackResult> results =
                        selection.actionId != null
                                ? List.of(service.rollback(selection.actionId, dryRun))
                                : service.rollbackAll(selection.producedBy, repo, from, to, dryRun);
                for (RollbackResult r : results) {
                    out.printf(
                            "%-20s %-40s %s  %s%n",
                            r.status(),
                            r.actionId(),
                            r.target() == null ? "-" : r.target(),
                            r.detail());
                }
                out.printf(
                        "%d action(s)%s%n",
                        results.size(), dryRun ? " (dry run: nothing sent)" : "");
                out.flush();
                boolean failed =
                        results.stream().anyMatch(r -> r.status() == RollbackResult.Status.FAILED);
                return failed ? ExitCodes.FAILED : ExitCodes.OK;
            }
        }
    }

    /** Reads a secret from a file, or else from an environment variable; never from argv. */
    /**
     * Slack and PagerDuty as the executor configures them from the settings file {@code
     * configFile}, their secrets read from the files it names (the chart's tests load the rendered
     * file with it, as the pod would).
     */
    public static NotificationSettings notificationSettings(Path configFile) {
        return Connection.notifications(
                SettingsBinding.read(configFile, ExecutorSettings.class).notificationsOrEmpty());
    }

    static String secret(Path file, String envVar, String what) {
        if (file != null) {
            try {
                String value = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (value.isEmpty()) {
                    throw new IllegalArgumentException(what + " file " + file + " is empty");
                }
                return value;
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read the " + what + " file " + file + ": " + e.getMessage());
            }
        }
        String value = System.getenv(envVar);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "no " + what + ": set " + envVar + " or pass the file option");
        }
        return value.strip();
    }
}

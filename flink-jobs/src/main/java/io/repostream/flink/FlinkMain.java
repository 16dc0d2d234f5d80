package io.repostream.flink;

import io.repostream.flink.rules.config.PolicyCeilings;
import io.repostream.schemas.topics.KafkaClientProperties;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * Entry point of the Flink application. Options come from {@code --name value} arguments, else from
 * {@code REPOSTREAM_*} environment variables, else defaults. State backend and checkpoint storage
 * are deployment settings (Flink configuration / Helm values), except with {@code
 * --local-checkpoint-dir}, which runs the local RocksDB setup for demos.
 */
public final class FlinkMain {
    static final String USAGE =
            """
            Usage: flink run flink-jobs-<version>-job.jar [options]
              --bootstrap-servers <host:port,...>   Kafka (env REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS; required)
              --group-id <id>                       consumer group prefix (env REPOSTREAM_FLINK_GROUP_ID; default repostream-flink)
              --transactional-id-prefix <prefix>    unique per job (env REPOSTREAM_FLINK_TRANSACTIONAL_ID_PREFIX; default repostream-flink)
              --checkpoint-interval <ISO duration>  e.g. PT10S (env REPOSTREAM_FLINK_CHECKPOINT_INTERVAL; default PT2S)
              --parallelism <n>                     (env REPOSTREAM_FLINK_PARALLELISM; default 2)
              --max-out-of-orderness <ISO duration> (env REPOSTREAM_FLINK_MAX_OUT_OF_ORDERNESS; default PT30S)
              --source-idleness <ISO duration>      (env REPOSTREAM_FLINK_SOURCE_IDLENESS; default PT10S)
              --kafka-properties-file <path>        Kafka client.properties with security settings
                                                    (security.protocol, sasl.*, ssl.*) for every source
                                                    and sink (env REPOSTREAM_KAFKA_PROPERTIES_FILE)
              --local-checkpoint-dir <path>         run with local RocksDB + checkpoints in <path> (demo)
              --repo-config-enabled-actions <types> the action types a repository's .github/repostream.yml
                                                    may enable, comma-separated (env
                                                    REPOSTREAM_REPO_CONFIG_ENABLED_ACTIONS; default: the
                                                    types a policy enables by default)
              --repo-config-max-action-budget <n>   the most action_budget_per_hour such a file may set
                                                    (env REPOSTREAM_REPO_CONFIG_MAX_ACTION_BUDGET; default 300)
              --repo-config-dry-run <true|false>    run every in-repo policy as a dry run
                                                    (env REPOSTREAM_REPO_CONFIG_DRY_RUN; default false)
              --help                                print this and exit
            """;

    private static final Map<String, String> ENV_NAMES =
            Map.ofEntries(
                    Map.entry("bootstrap-servers", "REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS"),
                    Map.entry("group-id", "REPOSTREAM_FLINK_GROUP_ID"),
                    Map.entry(
                            "transactional-id-prefix", "REPOSTREAM_FLINK_TRANSACTIONAL_ID_PREFIX"),
                    Map.entry("checkpoint-interval", "REPOSTREAM_FLINK_CHECKPOINT_INTERVAL"),
                    Map.entry("parallelism", "REPOSTREAM_FLINK_PARALLELISM"),
                    Map.entry("max-out-of-orderness", "REPOSTREAM_FLINK_MAX_OUT_OF_ORDERNESS"),
                    Map.entry("source-idleness", "REPOSTREAM_FLINK_SOURCE_IDLENESS"),
                    Map.entry("kafka-properties-file", KafkaClientProperties.ENV_FILE),
                    Map.entry("local-checkpoint-dir", "REPOSTREAM_FLINK_LOCAL_CHECKPOINT_DIR"),
                    Map.entry(
                            "repo-config-enabled-actions",
                            "REPOSTREAM_REPO_CONFIG_ENABLED_ACTIONS"),
                    Map.entry(
                            "repo-config-max-action-budget",
                            "REPOSTREAM_REPO_CONFIG_MAX_ACTION_BUDGET"),
                    Map.entry("repo-config-dry-run", "REPOSTREAM_REPO_CONFIG_DRY_RUN"));

    /** The options that set the in-repo configuration's ceilings, and their job parameters. */
    private static final Map<String, String> CEILING_PARAMETERS =
            Map.of(
                    "repo-config-enabled-actions", PolicyCeilings.ENABLED_ACTIONS,
                    "repo-config-max-action-budget", PolicyCeilings.MAX_ACTION_BUDGET,
                    "repo-config-dry-run", PolicyCeilings.DRY_RUN);

    private FlinkMain() {}

    public static void main(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--help")) {
            System.out.print(USAGE);
            return;
        }
        Map<String, String> options;
        JobConfig config;
        Map<String, String> ceilings;
        try {
            options = options(args, System.getenv());
            config = jobConfig(options);
            ceilings = ceilingParameters(options);
        } catch (IllegalArgumentException e) {
            usageError(System.err, e.getMessage());
            System.exit(2);
            return;
        }
        String localDir = options.get("local-checkpoint-dir");
        StreamExecutionEnvironment env =
                localDir == null
                        ? StreamExecutionEnvironment.getExecutionEnvironment()
                        : StreamExecutionEnvironment.getExecutionEnvironment(
                                RepostreamJob.localConfiguration(
                                        Path.of(localDir), config.checkpointInterval()));
        env.setParallelism(config.parallelism());
        env.getConfig().setGlobalJobParameters(ParameterTool.fromMap(ceilings));
        env.enableCheckpointing(
                config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        RepostreamJob.fromKafka(config).build(env);
        env.execute(RepostreamJob.JOB_NAME);
    }

    /** Merges {@code --name value} arguments over the environment; unknown options are errors. */
    static Map<String, String> options(String[] args, Map<String, String> env) {
        Map<String, String> options = new HashMap<>();
        ENV_NAMES.forEach(
                (name, envName) -> {
                    String value = env.get(envName);
                    if (value != null && !value.isBlank()) {
                        options.put(name, value.trim());
                    }
                });
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || !ENV_NAMES.containsKey(arg.substring(2))) {
                throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option '" + arg + "' needs a value");
            }
            options.put(arg.substring(2), args[++i]);
        }
        return options;
    }

    /**
     * The job parameters of the in-repo configuration's ceilings ({@link PolicyCeilings}), checked.
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    static Map<String, String> ceilingParameters(Map<String, String> options) {
        Map<String, String> parameters = new HashMap<>();
        CEILING_PARAMETERS.forEach(
                (option, parameter) -> {
                    String value = options.get(option);
                    if (value != null) {
                        parameters.put(parameter, value);
                    }
                });
        try {
            PolicyCeilings.of(parameters);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a repo-config ceiling: " + e.getMessage());
        }
        return parameters;
    }

    static JobConfig jobConfig(Map<String, String> options) {
        String servers = options.get("bootstrap-servers");
        if (servers == null) {
            throw new IllegalArgumentException(
                    "--bootstrap-servers (or REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS) is required");
        }
        JobConfig config = JobConfig.defaults(servers);
        if (options.containsKey("group-id")) {
            config = config.withGroupId(options.get("group-id"));
        }
        if (options.containsKey("transactional-id-prefix")) {
            config = config.withTransactionalIdPrefix(options.get("transactional-id-prefix"));
        }
        if (options.containsKey("checkpoint-interval")) {
            config =
                    config.withCheckpointInterval(
                            duration("checkpoint-interval", options.get("checkpoint-interval")));
        }
        if (options.containsKey("parallelism")) {
            config = config.withParallelism(integer("parallelism", options.get("parallelism")));
        }
        Duration outOfOrderness =
                options.containsKey("max-out-of-orderness")
                        ? duration("max-out-of-orderness", options.get("max-out-of-orderness"))
                        : config.maxOutOfOrderness();
        Duration idleness =
                options.containsKey("source-idleness")
                        ? duration("source-idleness", options.get("source-idleness"))
                        : config.sourceIdleness();
        if (options.containsKey("kafka-properties-file")) {
            config =
                    config.withKafkaProperties(
                            KafkaClientProperties.load(
                                    Path.of(options.get("kafka-properties-file"))));
        }
        return config.withEventTime(outOfOrderness, idleness);
    }

    private static Duration duration(String name, String value) {
        try {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--"
                            + name
                            + " must be an ISO-8601 duration such as PT10S, got '"
                            + value
                            + "'");
        }
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + " must be a whole number, got '" + value + "'");
        }
    }

    private static void usageError(PrintStream err, String message) {
        err.println("error: " + message);
        err.print(USAGE);
    }
}

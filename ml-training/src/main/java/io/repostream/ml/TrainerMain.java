package io.repostream.ml;

import io.repostream.ml.data.CsvOptions;
import io.repostream.ml.data.DataFormatException;
import io.repostream.ml.data.Dataset;
import io.repostream.ml.data.TrainingExampleLoader;
import io.repostream.ml.data.TravisTorrent;
import io.repostream.ml.eval.Bootstrap;
import io.repostream.ml.eval.ChampionDecision;
import io.repostream.ml.publish.ModelRegistry;
import io.repostream.ml.publish.OnlineModel;
import io.repostream.ml.publish.TopicSnapshot;
import io.repostream.ml.train.EpochProgress;
import io.repostream.ml.train.TrainingConfig;
import io.repostream.schemas.TrainingExample;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.KafkaClientProperties;
import io.repostream.schemas.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The command line of the batch trainer: read builds, train, evaluate, publish. */
@Command(
        name = "repostream-train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Trains the CI success-prediction network on historical builds, evaluates it on the"
                    + " latest builds (time-ordered split) against trivial baselines, and publishes"
                    + " it to github.models.v1 if it beats the current champion.",
            "Writes to --out: model.zip (DL4J), model-version.json, evaluation.json,"
                    + " evaluation.txt."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:trained (and published, if --bootstrap-servers was given)",
            "2:bad options or bad input (the message names file, line and column), or a model"
                    + " the Flink job cannot load would be published as "
                    + OnlineModel.NAME,
            "3:trained but not published: the champion is at least as good",
            "4:Kafka failed or did not answer in time"
        })
public final class TrainerMain implements Callable<Integer> {
    static final int KAFKA_TIMEOUT = 4;

    static final class Input {
        @Option(
                names = "--csv",
                paramLabel = "FILE",
                description =
                        "CSV of historical builds, one row per build (or job, see --dedupe-column)")
        Path csv;

        @Option(
                names = "--training-examples",
                paramLabel = "FILE",
                description = "JSONL export of github.training-examples.v1, one record per line")
        Path trainingExamples;

        @Option(
                names = "--training-topic",
                description = "read github.training-examples.v1 from --bootstrap-servers")
        boolean trainingTopic;
    }

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Input (one of):%n")
    Input input;

    @Option(
            names = "--preset",
            description =
                    "column roles of a known export: ${COMPLETION-CANDIDATES} (travistorrent: label"
                            + " tr_status, leakage-free feature columns, one row per tr_build_id,"
                            + " history per project and per branch)")
    Preset preset;

    @Option(
            names = "--label-column",
            description = "outcome column (0/1, true/false, pass/fail ...)")
    String labelColumn;

    @Option(
            names = "--timestamp-column",
            description =
                    "when each build started; defines time order. Optional: without it, rows are"
                            + " taken in file order (they must already be in time order; each row's"
                            + " outcome then counts as known to the rows after it), the report says"
                            + " so, and --duration-column and --age-columns are not available")
    String timestampColumn;

    @Option(
            names = "--duration-column",
            description =
                    "seconds until the outcome was known (only decides which outcomes later builds may see)")
    String durationColumn;

    @Option(names = "--dedupe-column", description = "rows with the same value are one build")
    String dedupeColumn;

    @Option(
            names = "--feature-columns",
            split = ",",
            description =
                    "numeric feature columns (default: every numeric or true/false column not otherwise used)")
    List<String> featureColumns;

    @Option(
            names = "--exclude-columns",
            split = ",",
            description = "never features (ids, outcome-derived)")
    List<String> excludeColumns;

    @Option(
            names = "--one-hot",
            split = ",",
            description = "categorical columns, one 0/1 feature per value")
    List<String> oneHotColumns;

    @Option(
            names = "--age-columns",
            split = ",",
            description = "timestamps before the build; each adds <col>_log_age_hours")
    List<String> ageColumns;

    @Option(
            names = "--history",
            paramLabel = "NAME=COL[+COL...]",
            description =
                    "add history features (previous outcome, failure rates, time since previous build) per group, e.g. branch=gh_project_name+git_branch; the first also drives the previous-outcome baseline")
    List<String> history;

    @Option(
            names = "--success-values",
            split = ",",
            description =
                    "label values meaning passed (default: pass, passed, success, succeeded);"
                            + " a 0/1 or true/false label needs these and --failure-values")
    Set<String> successValues;

    @Option(
            names = "--failure-values",
            split = ",",
            description =
                    "label values meaning failed (default: fail, failed, failure, error,"
                            + " errored)")
    Set<String> failureValues;

    @Option(
            names = "--skip-unknown-labels",
            description = "skip (and count) rows with other labels instead of failing")
    boolean skipUnknownLabels;

    @Option(
            names = "--model-name",
            defaultValue = OnlineModel.NAME,
            description =
                    "key on github.models.v1 (default: ${DEFAULT-VALUE}, the name the Flink job"
                            + " scores with; it loads only feature set "
                            + OnlineModel.FEATURE_SET
                            + ", so other feature sets are refused under it)")
    String modelName;

    @Option(
            names = "--allow-offline-feature-set",
            description =
                    "publish as "
                            + OnlineModel.NAME
                            + " even a model whose feature set the Flink job does not compute"
                            + " (the job will refuse it)")
    boolean allowOfflineFeatureSet;

    @Option(
            names = "--feature-set",
            description = "name of the feature definitions (default: from the input)")
    String featureSet;

    @Option(
            names = "--out",
            defaultValue = "ml-out",
            description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(
            names = "--bootstrap-servers",
            description =
                    "Kafka to compare with the champion and publish to; without it, only evaluate")
    String bootstrapServers;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description =
                    "extra Kafka client setting, never logged; credentials (sasl.jaas.config,"
                            + " *.password) are refused here: give them in --kafka-properties-file")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(
            names = "--kafka-properties-file",
            defaultValue = "${env:REPOSTREAM_KAFKA_PROPERTIES_FILE}",
            description =
                    "Kafka client.properties with security settings (security.protocol, sasl.*,"
                            + " ssl.*), e.g. a mounted Secret; --kafka-property adds to it"
                            + " (env REPOSTREAM_KAFKA_PROPERTIES_FILE)")
    Path kafkaPropertiesFile;

    @Option(names = "--force", description = "publish even if the champion is better")
    boolean force;

    @Option(
            names = "--exit-code-when-kept",
            defaultValue = "3",
            description =
                    "exit code when the champion is kept and nothing is published (default:"
                            + " ${DEFAULT-VALUE}); 0 suits schedulers such as Kubernetes CronJobs"
                            + " that count any other code as a failed run")
    int exitCodeWhenKept;

    @Option(
            names = "--min-gain",
            defaultValue = "0.0",
            description =
                    "ROC-AUC the challenger must add over the champion (default: ${DEFAULT-VALUE})")
    double minGain;

    @Option(
            names = "--train-fraction",
            defaultValue = "0.7",
            description = "oldest share of builds to train on (default: ${DEFAULT-VALUE})")
    double trainFraction;

    @Option(
            names = "--validation-fraction",
            defaultValue = "0.15",
            description =
                    "next share, for early stopping, thresholds and calibration; the newest rest is the test set (default: ${DEFAULT-VALUE})")
    double validationFraction;

    @Option(
            names = "--split-per-project",
            description =
                    "cut each project's own history by time (its oldest builds train, its newest test) instead of all builds at once; needs a 'project' history grouping")
    boolean splitPerProject;

    @Option(
            names = "--no-refit",
            description =
                    "publish the model chosen on validation instead of one refit on train+validation for the epoch count found on validation")
    boolean noRefit;

    @Option(
            names = "--max-calibration-loss",
            defaultValue = "0.02",
            description =
                    "calibration error (ECE) the challenger may add over the champion's on the test builds (default: ${DEFAULT-VALUE})")
    double maxCalibrationLoss;

    @Option(
            names = "--bootstrap-resamples",
            defaultValue = "1000",
            description =
                    "resamples of the test builds for 95% confidence intervals of ROC-AUC and calibration error; 0 = none (default: ${DEFAULT-VALUE})")
    int bootstrapResamples;

    @Option(
            names = "--bootstrap-seed",
            defaultValue = "7",
            description = "seed of the bootstrap resampling (default: ${DEFAULT-VALUE})")
    long bootstrapSeed;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--max-epochs", defaultValue = "200")
    int maxEpochs;

    @Option(
            names = "--patience",
            defaultValue = "15",
            description =
                    "epochs without a better validation ROC-AUC before stopping (default: ${DEFAULT-VALUE})")
    int patience;

    @Option(names = "--batch-size", defaultValue = "64")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.001")
    double learningRate;

    @Option(names = "--l2", defaultValue = "0.0001")
    double l2;

    @Option(
            names = "--kafka-timeout",
            defaultValue = "PT30S",
            description = "bound on each Kafka read or write (default: ${DEFAULT-VALUE})")
    Duration kafkaTimeout;

    @Spec CommandLine.Model.CommandSpec spec;

    enum Preset {
        travistorrent
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit code (for tests and {@link #main}). */
    public static int run(String... args) {
        return run(
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                args);
    }

    /** Runs the command with its report and progress going to the given writers. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new TrainerMain())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(TrainerMain::handle)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof DataFormatException || e instanceof IllegalArgumentException) {
            cmd.getErr().println("error: " + e.getMessage());
            return 2;
        }
        if (e instanceof java.util.concurrent.TimeoutException
                || e instanceof org.apache.kafka.common.errors.TimeoutException) {
            cmd.getErr().println("error: Kafka did not answer in time: " + e.getMessage());
            return KAFKA_TIMEOUT;
        }
        if (e instanceof org.apache.kafka.common.KafkaException) {
            cmd.getErr().println("error: Kafka: " + e.getMessage());
            return KAFKA_TIMEOUT;
        }
        throw new IllegalStateException(e);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        for (String key : kafkaProperties.keySet()) {
            if (KafkaClientProperties.isCredential(key)) {
                throw new IllegalArgumentException(
                        "--kafka-property "
                                + key.strip()
                                + " is a credential: put it in --kafka-properties-file (a command"
                                + " line is visible to every user of the machine)");
            }
        }
        Optional<ModelRegistry> registry =
                bootstrapServers == null
                        ? Optional.empty()
                        : Optional.of(new ModelRegistry(kafkaProps(), kafkaTimeout));
        Dataset data = readData();
        warnIfMostlyFailed(data, err);
        TrainingConfig config =
                new TrainingConfig(seed, maxEpochs, patience, batchSize, learningRate, l2);
        TrainingJob job =
                new TrainingJob(
                        config,
                        trainFraction,
                        validationFraction,
                        p -> err.println(progressLine(p)),
                        Clock.systemUTC(),
                        new Bootstrap(bootstrapResamples, bootstrapSeed),
                        splitPerProject,
                        !noRefit,
                        maxCalibrationLoss);
        TrainingJob.Result result =
                job.run(data, modelName, registry, force, minGain, allowOfflineFeatureSet);
        write(result);
        stdout.print(result.report().toText());
        stdout.println("Written to " + out.toAbsolutePath());
        stdout.flush();
        ChampionDecision decision = result.report().champion();
        return decision != null && !decision.outcome().publishes() ? exitCodeWhenKept : 0;
    }

    /**
     * Most CI builds pass: when most of these are labelled failed, the success and failure values
     * are probably the wrong way round (a 14 % failure rate then reads as 86 %), so say so.
     */
    private void warnIfMostlyFailed(Dataset data, PrintWriter err) {
        long failed = data.table().failures();
        int builds = data.table().size();
        if (failed * 2 <= builds) {
            return;
        }
        String fix =
                input.csv != null
                        ? "the label values are the wrong way round (--success-values,"
                                + " --failure-values)"
                        : "the examples' outcomes were recorded the wrong way round";
        err.println(
                String.format(
                        Locale.ROOT,
                        "warning: %.1f %% of the %d builds are labelled failed; if your builds"
                                + " fail less often than they pass, %s",
                        100.0 * failed / builds,
                        builds,
                        fix));
        err.flush();
    }

    static String progressLine(EpochProgress p) {
        return String.format(
                Locale.ROOT,
                "epoch %3d/%d  train loss %.4f  validation ROC-AUC %.4f  log-loss %.4f%s",
                p.epoch(),
                p.maxEpochs(),
                p.trainLoss(),
                p.validationAuc(),
                p.validationLogLoss(),
                p.improved() ? "  *best" : "");
    }

    private Dataset readData() throws Exception {
        if (input.trainingExamples != null) {
            return Dataset.fromTrainingExamples(TrainingExampleLoader.load(input.trainingExamples));
        }
        if (input.trainingTopic) {
            if (bootstrapServers == null) {
                throw new IllegalArgumentException("--training-topic needs --bootstrap-servers");
            }
            List<TrainingExample> examples = new ArrayList<>();
            List<String> refs = new ArrayList<>();
            for (TopicSnapshot.Entry<TrainingExample> e :
                    TopicSnapshot.read(Topics.TRAINING_EXAMPLES, kafkaProps(), kafkaTimeout)) {
                if (e.value() != null) {
                    examples.add(e.value());
                    refs.add(
                            Topics.TRAINING_EXAMPLES.name()
                                    + " partition "
                                    + e.partition()
                                    + " offset "
                                    + e.offset());
                }
            }
            if (examples.isEmpty()) {
                throw new IllegalArgumentException(
                        Topics.TRAINING_EXAMPLES.name() + " holds no training examples");
            }
            return Dataset.fromTrainingExamples(
                    new TrainingExampleLoader.Result(
                            TrainingExampleLoader.toTable(
                                    Topics.TRAINING_EXAMPLES.name(), examples, refs),
                            examples.get(0).featureSet()));
        }
        CsvOptions options = csvOptions();
        String set =
                featureSet != null
                        ? featureSet
                        : preset == Preset.travistorrent
                                ? "travistorrent-v1"
                                : "csv:" + input.csv.getFileName();
        return Dataset.fromCsv(input.csv, options, set);
    }

    /** The preset's roles (if any), overridden by every option given explicitly. */
    CsvOptions csvOptions() {
        CsvOptions base = preset == Preset.travistorrent ? TravisTorrent.options() : null;
        String label = labelColumn != null ? labelColumn : base == null ? null : base.labelColumn();
        String time =
                timestampColumn != null
                        ? timestampColumn
                        : base == null ? null : base.timestampColumn();
        if (label == null) {
            throw new IllegalArgumentException(
                    "--csv needs --label-column (and --timestamp-column unless its rows are in time"
                            + " order), or --preset");
        }
        CsvOptions o = base != null ? base : CsvOptions.of(label, time);
        o =
                new CsvOptions(
                        label,
                        time,
                        durationColumn != null ? durationColumn : o.durationColumn(),
                        dedupeColumn != null ? dedupeColumn : o.dedupeColumn(),
                        featureColumns != null ? nonBlank(featureColumns) : o.featureColumns(),
                        excludeColumns != null ? nonBlank(excludeColumns) : o.excludeColumns(),
                        oneHotColumns != null ? nonBlank(oneHotColumns) : o.oneHotColumns(),
                        ageColumns != null ? nonBlank(ageColumns) : o.ageColumns(),
                        history != null ? parseHistory(history) : o.historyGroupings(),
                        successValues != null ? successValues : o.successValues(),
                        failureValues != null ? failureValues : o.failureValues(),
                        skipUnknownLabels || o.skipUnknownLabels());
        return o;
    }

    /** {@code --one-hot ""} means none: picocli hands over one empty string. */
    private static List<String> nonBlank(List<String> values) {
        return values.stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    static Map<String, List<String>> parseHistory(List<String> specs) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException(
                        "--history '" + spec + "' must look like NAME=COL[+COL...]");
            }
            out.put(spec.substring(0, eq), List.of(spec.substring(eq + 1).split("\\+")));
        }
        return out;
    }

    private Map<String, Object> kafkaProps() {
        Map<String, String> extra = new LinkedHashMap<>();
        if (kafkaPropertiesFile != null) {
            extra.putAll(KafkaClientProperties.load(kafkaPropertiesFile));
        }
        extra.putAll(kafkaProperties);
        Map<String, Object> props =
                new HashMap<>(KafkaClientProperties.check(extra, "Kafka properties"));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "repostream-ml-training");
        return props;
    }

    private void write(TrainingJob.Result result) throws IOException {
        Files.createDirectories(out);
        Files.write(
                out.resolve("model.zip"),
                Base64.getDecoder().decode(result.model().artifactBase64()));
        Files.writeString(
                out.resolve("model-version.json"),
                Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result.model()),
                StandardCharsets.UTF_8);
        Files.writeString(
                out.resolve("evaluation.json"), result.report().toJson(), StandardCharsets.UTF_8);
        Files.writeString(
                out.resolve("evaluation.txt"), result.report().toText(), StandardCharsets.UTF_8);
    }
}

package io.repostream.ml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.model.ModelArtifact;
import io.repostream.model.ModelScorer;
import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.TrainingExample;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrainerMainTest {
    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return TrainerMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void printsUsageWithEveryInputOptionOnHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString())
                .contains("repostream-train")
                .contains("--csv")
                .contains("--training-examples")
                .contains("--training-topic")
                .contains("--preset")
                .contains("--force");
    }

    @Test
    void trainsOnACsvAndWritesTheModelAndBothReports() throws IOException {
        Path csv = TestData.writeCsv(dir, 800, 21, 1.0);
        Path outDir = dir.resolve("out");
        int code =
                run(
                        "--csv", csv.toString(),
                        "--preset", "travistorrent",
                        "--max-epochs", "12",
                        "--patience", "4",
                        "--learning-rate", "0.003",
                        "--out", outDir.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("epoch   1/12").contains("validation ROC-AUC");
        assertThat(out.toString()).contains("always-pass").contains("previous-build-outcome");

        JsonNode report = Json.mapper().readTree(outDir.resolve("evaluation.json").toFile());
        assertThat(report.at("/model/pooled/roc_auc").asDouble()).isGreaterThan(0.7);
        assertThat(report.at("/baselines/always-pass/pooled/roc_auc").asDouble()).isEqualTo(0.5);
        assertThat(report.at("/data/builds").asInt()).isEqualTo(800);
        assertThat(report.at("/model/pooled/calibration").size()).isPositive();
        double auc = report.at("/model/pooled/roc_auc").asDouble();
        assertThat(report.at("/model/pooled/roc_auc_ci/low").asDouble()).isLessThan(auc);
        assertThat(report.at("/model/pooled/roc_auc_ci/high").asDouble()).isGreaterThan(auc);
        assertThat(report.at("/model/per_project").size()).as("acme/api and acme/web").isEqualTo(2);
        assertThat(report.at("/calibrated_model/pooled/calibration_error").isNumber()).isTrue();
        assertThat(report.at("/baselines/logistic-regression/pooled/roc_auc").asDouble())
                .isGreaterThan(0.6);
        assertThat(out.toString()).contains("Platt").contains("acme/web").contains("PR-AUC");
        assertThat(report.path("champion").isMissingNode() || report.path("champion").isNull())
                .as("no champion decision without Kafka")
                .isTrue();
        assertThat(Files.readString(outDir.resolve("evaluation.txt"))).contains("Calibration");

        ModelVersion model =
                Topics.MODELS
                        .valueCodec()
                        .decode(Files.readAllBytes(outDir.resolve("model-version.json")));
        assertThat(model.featureSet()).isEqualTo("travistorrent-v1");
        assertThat(model.metrics()).containsKeys("roc_auc", "recall_failed", "precision_failed");
        assertThat(ModelArtifact.sha256(Files.readAllBytes(outDir.resolve("model.zip"))))
                .isEqualTo(model.artifactSha256());
        assertThat(ModelScorer.load(model).featureNames()).contains("branch_prev_failed");
        assertThat(model.calibration()).as("calibration fitted on validation").isNotNull();
        assertThat(model.calibration().method())
                .isEqualTo(report.at("/calibration/chosen/method").asText());
        assertThat(out.toString())
                .contains("Published model: refit on train+validation")
                .contains("those of the model chosen on validation");
        assertThat(model.trainedOn()).contains("training and validation builds");
    }

    @Test
    void exitsWithTwoAndNamesFileLineAndColumnOfBadCsvInput() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(
                csv,
                "started,churn,status\n2020-01-01T00:00:00,1,passed\n2020-01-02T00:00:00,2,maybe\n");
        int code =
                run(
                        "--csv",
                        csv.toString(),
                        "--label-column",
                        "status",
                        "--timestamp-column",
                        "started",
                        "--out",
                        dir.resolve("out").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(csv + " line 3, column status").contains("'maybe'");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    /**
     * 700 builds in file order whose label column {@code failed} is 1 for the 14 % that failed, as
     * exports of CI systems often have it.
     */
    private Path failedFlagCsv() throws IOException {
        java.util.Random random = new java.util.Random(5);
        StringBuilder csv = new StringBuilder("churn,files,failed\n");
        for (int i = 0; i < 700; i++) {
            double churn = random.nextGaussian();
            boolean failed = churn + 0.3 * random.nextGaussian() > 1.1;
            csv.append(
                    String.format(
                            java.util.Locale.ROOT,
                            "%.4f,%.4f,%d%n",
                            churn,
                            random.nextGaussian(),
                            failed ? 1 : 0));
        }
        return Files.writeString(dir.resolve("failed-flag.csv"), csv);
    }

    @Test
    void refusesA01LabelThatDoesNotSayWhichValueIsTheFailureAndNamesTheOptions()
            throws IOException {
        Path csv = failedFlagCsv();
        int code =
                run(
                        "--csv", csv.toString(),
                        "--label-column", "failed",
                        "--out", dir.resolve("out").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains(csv + " line 2, column failed")
                .contains("--success-values 1 --failure-values 0")
                .contains("--success-values 0 --failure-values 1");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void warnsWhenFailedIsTheMajorityClassAsWhenTheValuesAreTheWrongWayRound() throws IOException {
        Path csv = failedFlagCsv();
        int code =
                run(
                        "--csv", csv.toString(),
                        "--label-column", "failed",
                        "--success-values", "1",
                        "--failure-values", "0",
                        "--max-epochs", "2",
                        "--patience", "1",
                        "--out", dir.resolve("out").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString())
                .containsPattern("warning: 8\\d\\.\\d % of the 700 builds are labelled failed")
                .contains("--success-values")
                .contains("--failure-values");
    }

    @Test
    void refusesACsvWithoutALabelColumn() throws IOException {
        Path csv = TestData.writeCsv(dir, 50, 1, 1.0);
        assertThat(run("--csv", csv.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--csv needs --label-column");
    }

    @Test
    void trainsOnACsvWithoutTimestampsInFileOrderAndSaysSo() throws IOException {
        java.util.Random random = new java.util.Random(3);
        StringBuilder csv = new StringBuilder("churn,files,result\n");
        for (int i = 0; i < 700; i++) {
            double churn = random.nextGaussian();
            double files = random.nextGaussian();
            boolean failed = churn + 0.5 * random.nextGaussian() > 0.6;
            csv.append(
                    String.format(
                            java.util.Locale.ROOT,
                            "%.4f,%.4f,%s%n",
                            churn,
                            files,
                            failed ? "fail" : "pass"));
        }
        Path file = Files.writeString(dir.resolve("ordered.csv"), csv);
        Path outDir = dir.resolve("out");
        int code =
                run(
                        "--csv", file.toString(),
                        "--label-column", "result",
                        "--max-epochs", "8",
                        "--patience", "3",
                        "--learning-rate", "0.003",
                        "--out", outDir.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).as("failures are the minority").doesNotContain("warning");
        assertThat(out.toString()).contains("Split in file order (no --timestamp-column");
        JsonNode report = Json.mapper().readTree(outDir.resolve("evaluation.json").toFile());
        assertThat(report.at("/data/order").asText()).isEqualTo("file order");
        assertThat(report.at("/data/builds").asInt()).isEqualTo(700);
        JsonNode from = report.at("/split/test/from");
        assertThat(from.isMissingNode() || from.isNull()).as("no start times: %s", from).isTrue();
        assertThat(report.at("/split/test/builds").asInt()).isPositive();
        assertThat(report.at("/model/pooled/roc_auc").asDouble()).isGreaterThan(0.8);
    }

    @Test
    void saysInHelpThatTheTimestampColumnIsOptional() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " "))
                .contains("without it, rows are taken in file order");
    }

    @Test
    void readingTheTrainingTopicNeedsBootstrapServers() {
        assertThat(run("--training-topic", "--out", dir.resolve("out").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--training-topic needs --bootstrap-servers");
    }

    @Test
    void refusesKafkaSettingsThePublishingGuaranteesRestOn() throws IOException {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SSL\n");
        int code =
                run(
                        "--training-topic",
                        "--bootstrap-servers",
                        "127.0.0.1:9",
                        "--kafka-properties-file",
                        file.toString(),
                        "--kafka-property",
                        "acks=0",
                        "--out",
                        dir.resolve("out").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Kafka properties sets acks");
    }

    @Test
    void refusesCredentialsOnTheCommandLineWhereEveryUserOfTheMachineSeesThem() {
        for (String key :
                List.of("sasl.jaas.config", "ssl.keystore.password", "ssl.key.password")) {
            err.getBuffer().setLength(0);
            int code =
                    run(
                            "--training-topic",
                            "--bootstrap-servers",
                            "127.0.0.1:9",
                            "--kafka-property",
                            key + "=hunter2-secret",
                            "--out",
                            dir.resolve("out").toString());
            assertThat(code).as(key).isEqualTo(2);
            assertThat(err.toString())
                    .contains("--kafka-property " + key + " is a credential")
                    .contains("--kafka-properties-file")
                    .doesNotContain("hunter2-secret");
            assertThat(out.toString()).doesNotContain("hunter2-secret");
        }
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void exitsWithFourAndAClearMessageWhenKafkaDoesNotAnswer() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        int code =
                run(
                        "--training-topic",
                        "--bootstrap-servers",
                        "127.0.0.1:" + closedPort,
                        "--kafka-timeout",
                        "PT2S",
                        "--out",
                        dir.resolve("out").toString());
        assertThat(code).isEqualTo(4);
        assertThat(err.toString()).contains("error: Kafka");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void trainsOnTheTrainingExamplesExportOfThePipeline() throws IOException {
        List<String> lines = new ArrayList<>();
        for (TrainingExample e : TestData.trainingExamples(900)) {
            lines.add(
                    new String(
                            Topics.TRAINING_EXAMPLES.valueCodec().encode(e),
                            StandardCharsets.UTF_8));
        }
        Path jsonl = dir.resolve("examples.jsonl");
        Files.write(jsonl, lines);
        Path outDir = dir.resolve("out");
        int code =
                run(
                        "--training-examples", jsonl.toString(),
                        "--max-epochs", "10",
                        "--patience", "4",
                        "--learning-rate", "0.003",
                        "--out", outDir.toString());
        assertThat(code).as(err.toString()).isZero();
        ModelVersion model =
                Topics.MODELS
                        .valueCodec()
                        .decode(Files.readAllBytes(outDir.resolve("model-version.json")));
        assertThat(model.featureSet()).isEqualTo("pipeline-v1");
        assertThat(model.metrics().get("roc_auc")).isGreaterThan(0.7);
    }
}

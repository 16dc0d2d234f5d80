package io.repostream.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlinkMainTest {

    @Test
    void printsUsageForHelpWithoutStartingAJob() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            FlinkMain.main(new String[] {"--help"});
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("--bootstrap-servers")
                .contains("--checkpoint-interval");
    }

    @Test
    void argumentsOverrideEnvironmentWhichOverridesDefaults() {
        Map<String, String> env =
                Map.of(
                        "REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
                        "REPOSTREAM_FLINK_PARALLELISM", "4",
                        "REPOSTREAM_FLINK_GROUP_ID", "from-env");

        JobConfig config =
                FlinkMain.jobConfig(
                        FlinkMain.options(
                                new String[] {
                                    "--group-id", "from-args", "--checkpoint-interval", "pt5s"
                                },
                                env));

        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.parallelism()).isEqualTo(4);
        assertThat(config.groupId()).isEqualTo("from-args");
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.transactionalIdPrefix())
                .isEqualTo(JobConfig.DEFAULT_TRANSACTIONAL_ID_PREFIX);
    }

    @Test
    void rejectsMissingServersUnknownOptionsAndBadDurationsWithAClearMessage() {
        assertThatThrownBy(() -> FlinkMain.jobConfig(FlinkMain.options(new String[] {}, Map.of())))
                .hasMessageContaining("--bootstrap-servers");
        assertThatThrownBy(() -> FlinkMain.options(new String[] {"--colour", "blue"}, Map.of()))
                .hasMessageContaining("unknown option '--colour'");
        assertThatThrownBy(
                        () ->
                                FlinkMain.jobConfig(
                                        FlinkMain.options(
                                                new String[] {
                                                    "--bootstrap-servers",
                                                    "127.0.0.1:9092",
                                                    "--checkpoint-interval",
                                                    "ten seconds"
                                                },
                                                Map.of())))
                .hasMessageContaining("ISO-8601 duration");
    }
}

package io.repostream.executor;

import io.repostream.schemas.topics.KafkaClientProperties;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Where Kafka is, for the subcommands that only talk to Kafka ({@code policy}, {@code
 * kill-switch}).
 */
public final class KafkaCliOptions {
    @Option(
            names = "--bootstrap-servers",
            defaultValue = "${env:REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description =
                    "Kafka bootstrap servers (env REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS; default"
                            + " ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(
            names = "--kafka-properties-file",
            defaultValue = "${env:REPOSTREAM_KAFKA_PROPERTIES_FILE}",
            description =
                    "Kafka client.properties with security settings (env"
                            + " REPOSTREAM_KAFKA_PROPERTIES_FILE)")
    Path kafkaPropertiesFile;

    /** Client properties: the file's, then {@code bootstrap.servers}. */
    public Map<String, Object> client() {
        Map<String, String> extra =
                kafkaPropertiesFile == null
                        ? Map.of()
                        : KafkaClientProperties.load(kafkaPropertiesFile);
        return KafkaClientProperties.under(
                extra, Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }
}

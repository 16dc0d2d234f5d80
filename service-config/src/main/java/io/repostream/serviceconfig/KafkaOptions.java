package io.repostream.serviceconfig;

import io.repostream.schemas.topics.KafkaClientProperties;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Where Kafka is and how to reach it, the same for every service ({@code @Mixin KafkaOptions}):
 * {@code --bootstrap-servers} (env {@value #ENV_BOOTSTRAP_SERVERS}) and {@code
 * --kafka-properties-file} (env {@value KafkaClientProperties#ENV_FILE}), Kafka's own {@code
 * client.properties} with the security settings. Credentials ({@code sasl.jaas.config}, {@code
 * ssl.*.password}) come only in that file, never as options, where {@code ps} shows them.
 *
 * <p>An option given wins over its environment variable, which wins over the default. A service
 * whose settings file sits between the two (the bridge) asks for the option alone ({@link
 * #bootstrapServersOption()}).
 */
public class KafkaOptions {
    public static final String ENV_BOOTSTRAP_SERVERS = "REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS";
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,...]",
            description =
                    "Kafka bootstrap servers (env "
                            + ENV_BOOTSTRAP_SERVERS
                            + "; default "
                            + DEFAULT_BOOTSTRAP_SERVERS
                            + ")")
    private String bootstrapServers;

    @Option(
            names = "--kafka-properties-file",
            paramLabel = "FILE",
            description =
                    "Kafka client.properties with the security settings (security.protocol,"
                            + " sasl.*, ssl.*), as kafka-console-* --command-config reads it, e.g."
                            + " a mounted Secret; settings the delivery guarantees rest on (acks,"
                            + " isolation.level, group.id, ...) are refused (env "
                            + KafkaClientProperties.ENV_FILE
                            + ")")
    private Path propertiesFile;

    private final Map<String, String> env;

    public KafkaOptions() {
        this(System.getenv());
    }

    /**
     * @param env the environment the variables are read from
     */
    public KafkaOptions(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** {@code --bootstrap-servers}, when it was given. */
    public Optional<String> bootstrapServersOption() {
        return Optional.ofNullable(bootstrapServers).filter(s -> !s.isBlank());
    }

    /** Sets {@code --bootstrap-servers}; for a service's older spelling of the option. */
    public void bootstrapServersOption(String servers) {
        this.bootstrapServers = servers;
    }

    /** {@code --kafka-properties-file}, when it was given. */
    public Optional<Path> propertiesFileOption() {
        return Optional.ofNullable(propertiesFile);
    }

    /**
     * The option, else {@value #ENV_BOOTSTRAP_SERVERS}, else {@value #DEFAULT_BOOTSTRAP_SERVERS}.
     */
    public String bootstrapServers() {
        return bootstrapServersOption()
                .or(() -> Optional.ofNullable(env.get(ENV_BOOTSTRAP_SERVERS)))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElse(DEFAULT_BOOTSTRAP_SERVERS);
    }

    /**
     * For a service with a settings file: the option, else {@value #ENV_BOOTSTRAP_SERVERS}, else
     * {@code fromSettings} (the file's value, null when it has none), else {@value
     * #DEFAULT_BOOTSTRAP_SERVERS}.
     */
    public String bootstrapServers(String fromSettings) {
        return bootstrapServersOption()
                .or(() -> Optional.ofNullable(env.get(ENV_BOOTSTRAP_SERVERS)))
                .or(() -> Optional.ofNullable(fromSettings))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .orElse(DEFAULT_BOOTSTRAP_SERVERS);
    }

    /**
     * For a service with a settings file: the settings of the option's properties file, else the
     * environment's, else {@code fromSettings} (the file the settings name, null when none).
     */
    public Map<String, String> properties(Path fromSettings) {
        if (propertiesFile == null
                && fromSettings != null
                && Optional.ofNullable(env.get(KafkaClientProperties.ENV_FILE))
                        .filter(f -> !f.isBlank())
                        .isEmpty()) {
            return KafkaClientProperties.load(fromSettings);
        }
        return properties();
    }

    /**
     * The properties file's settings (the option's file, else the environment's), checked: a
     * setting repostream manages is refused naming it and the file, never showing a value.
     */
    public Map<String, String> properties() {
        return propertiesFile != null
                ? KafkaClientProperties.load(propertiesFile)
                : KafkaClientProperties.fromEnvironment(env);
    }

    /** Client properties: the file's, then {@code bootstrap.servers}. */
    public Map<String, Object> client() {
        return KafkaClientProperties.under(
                properties(),
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }
}

package io.repostream.console;

import io.repostream.schemas.topics.KafkaClientProperties;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How the console is set up.
 *
 * @param bootstrapServers Kafka
 * @param kafkaProperties security settings for the indexer's consumer
 * @param databaseUrl JDBC URL of the console's PostgreSQL database
 * @param databaseUser its user
 * @param databasePassword its password (never logged)
 * @param host address the web server binds
 * @param port its port, 0 for any free one
 * @param githubWebUrl where GitHub's pages are, for links to items
 */
public record ConsoleConfig(
        String bootstrapServers,
        Map<String, String> kafkaProperties,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        String host,
        int port,
        String githubWebUrl) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8090;
    public static final String DEFAULT_GITHUB_WEB_URL = "https://github.com";

    public ConsoleConfig {
        requireText(bootstrapServers, "Kafka bootstrap servers");
        requireText(databaseUrl, "database URL");
        if (!databaseUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "the database URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db),"
                            + " got "
                            + databaseUrl.split("\\?")[0]);
        }
        requireText(databaseUser, "database user");
        databasePassword = databasePassword == null ? "" : databasePassword;
        host = host == null || host.isBlank() ? DEFAULT_HOST : host;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535, got " + port);
        }
        githubWebUrl =
                githubWebUrl == null || githubWebUrl.isBlank()
                        ? DEFAULT_GITHUB_WEB_URL
                        : githubWebUrl;
        kafkaProperties = KafkaClientProperties.check(kafkaProperties, "Kafka properties");
    }

    /** Consumer properties: the extra (security) settings, then {@code bootstrap.servers}. */
    public Map<String, Object> kafkaClient() {
        return KafkaClientProperties.under(
                kafkaProperties,
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    @Override
    public String toString() {
        return "ConsoleConfig[bootstrapServers="
                + bootstrapServers
                + ", kafkaProperties="
                + KafkaClientProperties.describe(kafkaProperties)
                + ", databaseUrl="
                + databaseUrl.split("\\?")[0]
                + ", databaseUser="
                + databaseUser
                + ", databasePassword="
                + (databasePassword.isEmpty() ? "none" : "****")
                + ", host="
                + host
                + ", port="
                + port
                + ", githubWebUrl="
                + githubWebUrl
                + "]";
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
    }
}

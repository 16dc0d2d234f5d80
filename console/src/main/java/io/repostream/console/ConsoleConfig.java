package io.repostream.console;

import io.repostream.console.web.GitHubSignIn;
import io.repostream.schemas.topics.KafkaClientProperties;
import java.time.Duration;
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
 * @param executorAdminUrl the executor's admin API, through which undo goes (null: no undo)
 * @param executorAdminToken its bearer token (never logged)
 * @param signIn GitHub sign-in; null runs the console in the local/demo mode without sign-in (every
 *     page says so, and the start logs a warning)
 * @param sessionTimeout how long a signed-in session lives without a request
 */
public record ConsoleConfig(
        String bootstrapServers,
        Map<String, String> kafkaProperties,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        String host,
        int port,
        String githubWebUrl,
        String executorAdminUrl,
        String executorAdminToken,
        GitHubSignIn.Settings signIn,
        Duration sessionTimeout) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8090;
    public static final String DEFAULT_GITHUB_WEB_URL = "https://github.com";
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofHours(8);

    /** Without undo and without sign-in (local mode): the first slice's configuration. */
    public ConsoleConfig(
            String bootstrapServers,
            Map<String, String> kafkaProperties,
            String databaseUrl,
            String databaseUser,
            String databasePassword,
            String host,
            int port,
            String githubWebUrl) {
        this(
                bootstrapServers,
                kafkaProperties,
                databaseUrl,
                databaseUser,
                databasePassword,
                host,
                port,
                githubWebUrl,
                null,
                null,
                null,
                DEFAULT_SESSION_TIMEOUT);
    }

    /** The same, undoing through the executor's admin API at {@code url}. */
    public ConsoleConfig withExecutorAdmin(String url, String token) {
        return new ConsoleConfig(
                bootstrapServers,
                kafkaProperties,
                databaseUrl,
                databaseUser,
                databasePassword,
                host,
                port,
                githubWebUrl,
                url,
                token,
                signIn,
                sessionTimeout);
    }

    /** The same, with GitHub sign-in (null: the local/demo mode without sign-in). */
    public ConsoleConfig withSignIn(GitHubSignIn.Settings settings, Duration timeout) {
        return new ConsoleConfig(
                bootstrapServers,
                kafkaProperties,
                databaseUrl,
                databaseUser,
                databasePassword,
                host,
                port,
                githubWebUrl,
                executorAdminUrl,
                executorAdminToken,
                settings,
                timeout);
    }

    /** Whether anybody who reaches the port may do everything (no sign-in). */
    public boolean localMode() {
        return signIn == null;
    }

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
        executorAdminUrl =
                executorAdminUrl == null || executorAdminUrl.isBlank() ? null : executorAdminUrl;
        if (executorAdminUrl != null) {
            if (!executorAdminUrl.matches("https?://.+")) {
                throw new IllegalArgumentException(
                        "the executor's admin URL must be http(s)://host:port, got "
                                + executorAdminUrl);
            }
            if (executorAdminToken == null || executorAdminToken.isBlank()) {
                throw new IllegalArgumentException(
                        "the executor's admin token is required with its admin URL"
                                + " (--executor-admin-token-file or REPOSTREAM_ADMIN_TOKEN)");
            }
        }
        sessionTimeout =
                sessionTimeout == null || sessionTimeout.isNegative() || sessionTimeout.isZero()
                        ? DEFAULT_SESSION_TIMEOUT
                        : sessionTimeout;
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
                + ", executorAdminUrl="
                + executorAdminUrl
                + ", executorAdminToken="
                + (executorAdminToken == null ? "none" : "****")
                + ", signIn="
                + (signIn == null ? "none (local mode)" : signIn)
                + ", sessionTimeout="
                + sessionTimeout
                + "]";
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
    }
}

package io.repostream.executor;

import io.repostream.executor.notify.NotificationSettings;
import io.repostream.schemas.topics.KafkaClientProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Everything the executor needs to run. Secrets ({@code githubToken}, {@code adminToken}) never
 * leave this record in clear text: {@link #toString()} masks them.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}
 * @param groupId consumer group of the actions topic
 * @param githubApiUrl GitHub REST base URL ({@code https://api.github.com}, or the simulator's)
 * @param githubToken token sent to GitHub; never logged
 * @param pollTimeout how long one poll of the actions topic blocks
 * @param githubTimeout connect/read timeout of one GitHub request
 * @param writeSpacing minimum gap between two writes of one installation (GitHub asks for 1 s)
 * @param contentCreationsPerMinute most comments (content creations) in any 60 s, per installation
 * @param maxConcurrentRequests most GitHub requests in flight
 * @param maxAttempts attempts of one GitHub request on 5xx, network errors and rate limits
 * @param backoffBase first backoff after a 5xx; doubles per attempt, with full jitter
 * @param maxRateLimitWait longest wait for a rate-limit reset before the request fails
 * @param adminPort port of the admin HTTP API on {@code adminHost} ({@code 0} = any free port,
 *     {@code -1} = no admin API)
 * @param adminToken bearer token the admin API requires, at least {@value #MIN_ADMIN_TOKEN_LENGTH}
 *     characters; never logged
 * @param killSwitch when on, every action is skipped (and audited) instead of applied
 * @param instanceId Kafka static group membership ({@code group.instance.id}, e.g. the pod name): a
 *     restarted executor takes its partitions back at once instead of after the session timeout;
 *     null for dynamic membership
 * @param adminHost address the admin API binds ({@code 127.0.0.1} by default; {@code 0.0.0.0} in a
 *     pod, so that probes and Prometheus reach it)
 * @param githubApp authenticate as this GitHub App (an installation token per repo) instead of with
 *     {@code githubToken}; null for token authentication
 * @param contentCreationsPerHour most comments (content creations) in any hour, per installation
 *     (GitHub: 500)
 * @param kafkaProperties extra Kafka client properties for every consumer and producer (security
 *     settings such as {@code sasl.jaas.config}; see {@link KafkaClientProperties}); never logged,
 *     only their names
 * @param adminTlsCertFile PEM certificate (chain) the admin API serves TLS with; null for plain
 *     HTTP. Given together with {@code adminTlsKeyFile}
 * @param adminTlsKeyFile PEM private key (PKCS#8 or PKCS#1) of {@code adminTlsCertFile}
 * @param notifications where Slack and PagerDuty notifications go, with their secrets (masked in
 *     {@link #toString()}); {@link NotificationSettings#NONE} when none are configured
 */
public record ExecutorConfig(
        String bootstrapServers,
        String groupId,
        String githubApiUrl,
        String githubToken,
        Duration pollTimeout,
        Duration githubTimeout,
        Duration writeSpacing,
        int contentCreationsPerMinute,
        int maxConcurrentRequests,
        int maxAttempts,
        Duration backoffBase,
        Duration maxRateLimitWait,
        int adminPort,
        String adminToken,
        boolean killSwitch,
        String instanceId,
        GitHubAppKey githubApp,
        String adminHost,
        Map<String, String> kafkaProperties,
        int contentCreationsPerHour,
        Path adminTlsCertFile,
        Path adminTlsKeyFile,
        NotificationSettings notifications) {

    /** Shorter admin tokens are refused: the token guards rollbacks and the kill switch. */
    public static final int MIN_ADMIN_TOKEN_LENGTH = 32;

    public static final String DEFAULT_GROUP_ID = "repostream-action-executor";
    public static final String DEFAULT_ADMIN_HOST = "127.0.0.1";

    public ExecutorConfig {
        requireText(bootstrapServers, "bootstrap servers");
        requireText(groupId, "consumer group id");
        requireText(githubApiUrl, "GitHub API URL");
        adminHost = adminHost == null || adminHost.isBlank() ? DEFAULT_ADMIN_HOST : adminHost;
        notifications = notifications == null ? NotificationSettings.NONE : notifications;
        kafkaProperties = KafkaClientProperties.check(kafkaProperties, "Kafka properties");
        if (githubApp == null) {
            requireText(githubToken, "GitHub token");
        }
        if (adminToken != null && adminToken.strip().length() < MIN_ADMIN_TOKEN_LENGTH) {
            // the token itself never goes into the message
            throw new IllegalArgumentException(
                    "the admin token must be at least "
                            + MIN_ADMIN_TOKEN_LENGTH
                            + " characters; make one with `openssl rand -hex 32`");
        }
        if ((adminTlsCertFile == null) != (adminTlsKeyFile == null)) {
            throw new IllegalArgumentException(
                    "--admin-tls-cert-file and --admin-tls-key-file go together: give both or"
                            + " neither");
        }
        if (adminTlsCertFile != null) {
            requireReadable(adminTlsCertFile, "admin TLS certificate");
            requireReadable(adminTlsKeyFile, "admin TLS key");
        }
        Objects.requireNonNull(pollTimeout, "poll timeout");
        Objects.requireNonNull(githubTimeout, "GitHub timeout");
        Objects.requireNonNull(writeSpacing, "write spacing");
        Objects.requireNonNull(backoffBase, "backoff base");
        Objects.requireNonNull(maxRateLimitWait, "max rate-limit wait");
        if (contentCreationsPerMinute < 1
                || contentCreationsPerHour < 1
                || maxConcurrentRequests < 1
                || maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "content creations per minute and per hour, concurrent requests and attempts"
                            + " must be >= 1");
        }
        githubApiUrl =
                githubApiUrl.endsWith("/")
                        ? githubApiUrl.substring(0, githubApiUrl.length() - 1)
                        : githubApiUrl;
    }

    /**
     * GitHub's documented limits (writes 1 s apart, 80 content creations a minute and 500 an hour,
     * 100 concurrent requests), no admin API, kill switch off.
     */
    public static ExecutorConfig defaults(
            String bootstrapServers, String githubApiUrl, String token) {
        return new ExecutorConfig(
                bootstrapServers,
                DEFAULT_GROUP_ID,
                githubApiUrl,
                token,
                Duration.ofMillis(200),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                80,
                100,
                5,
                Duration.ofMillis(500),
                Duration.ofMinutes(15),
                -1,
                null,
                false,
                null,
                null,
                DEFAULT_ADMIN_HOST,
                Map.of(),
                500,
                null,
                null,
                NotificationSettings.NONE);
    }

    /** The same config delivering notifications with {@code settings}. */
    public ExecutorConfig withNotifications(NotificationSettings settings) {
        return copy(b -> b.notifications = settings);
    }

    /** The same config with the admin API bound to {@code host} (e.g. {@code 0.0.0.0} in a pod). */
    public ExecutorConfig withAdminHost(String host) {
        return copy(b -> b.adminHost = host);
    }

    public ExecutorConfig withGroupId(String id) {
        return copy(b -> b.groupId = id);
    }

    /** GitHub's pacing turned off: for tests and benchmarks against the simulator. */
    public ExecutorConfig withoutPacing() {
        return copy(
                b -> {
                    b.writeSpacing = Duration.ZERO;
                    b.contentCreationsPerMinute = Integer.MAX_VALUE;
                    b.contentCreationsPerHour = Integer.MAX_VALUE;
                });
    }

    /** At most {@code creations} comments in any hour, per installation (GitHub: 500). */
    public ExecutorConfig withContentCreationsPerHour(int creations) {
        return copy(b -> b.contentCreationsPerHour = creations);
    }

    /** At most {@code requests} GitHub requests in flight at once (GitHub: 100). */
    public ExecutorConfig withMaxConcurrentRequests(int requests) {
        return copy(b -> b.maxConcurrentRequests = requests);
    }

    public ExecutorConfig withPacing(Duration spacing, int creationsPerMinute) {
        return copy(
                b -> {
                    b.writeSpacing = spacing;
                    b.contentCreationsPerMinute = creationsPerMinute;
                });
    }

    public ExecutorConfig withRetries(int attempts, Duration base, Duration maxWait) {
        return copy(
                b -> {
                    b.maxAttempts = attempts;
                    b.backoffBase = base;
                    b.maxRateLimitWait = maxWait;
                });
    }

    /** Serves the admin API on {@code adminHost}:{@code port} behind {@code token}. */
    public ExecutorConfig withAdmin(int port, String token) {
        requireText(token, "admin token");
        return copy(
                b -> {
                    b.adminPort = port;
                    b.adminToken = token;
                });
    }

    /**
     * The admin API serves HTTPS with this PEM certificate (chain) and private key (PKCS#8 or
     * PKCS#1) instead of plain HTTP; both files must be readable.
     */
    public ExecutorConfig withAdminTls(Path certFile, Path keyFile) {
        return copy(
                b -> {
                    b.adminTlsCertFile = certFile;
                    b.adminTlsKeyFile = keyFile;
                });
    }

    public boolean adminTls() {
        return adminTlsCertFile != null;
    }

    /** Extra Kafka client properties (security settings) for every consumer and producer. */
    public ExecutorConfig withKafkaProperties(Map<String, String> properties) {
        return copy(b -> b.kafkaProperties = properties);
    }

    /**
     * Client properties for a consumer, producer or admin client: the extra properties, then {@code
     * bootstrap.servers} (callers add the settings their guarantees need on top).
     */
    public Map<String, Object> kafkaClient() {
        return KafkaClientProperties.under(
                kafkaProperties,
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    public ExecutorConfig withKillSwitch(boolean on) {
        return copy(b -> b.killSwitch = on);
    }

    public ExecutorConfig withInstanceId(String id) {
        return copy(b -> b.instanceId = id);
    }

    /**
     * Authenticates as GitHub App {@code appId} with its PEM private key: each repo's requests use
     * an installation token of the installation that owns the repo.
     */
    public static ExecutorConfig forGitHubApp(
            String bootstrapServers, String githubApiUrl, long appId, String privateKeyPem) {
        GitHubAppKey app = new GitHubAppKey(appId, privateKeyPem);
        return defaults(bootstrapServers, githubApiUrl, "unused")
                .copy(
                        b -> {
                            b.githubToken = null;
                            b.githubApp = app;
                        });
    }

    /** A GitHub App's id and private key; the key never appears in {@link #toString()}. */
    public record GitHubAppKey(long appId, String privateKeyPem) {
        public GitHubAppKey {
            if (appId <= 0) {
                throw new IllegalArgumentException("GitHub App id must be positive");
            }
            requireText(privateKeyPem, "GitHub App private key");
        }

        @Override
        public String toString() {
            return "GitHubApp[appId=" + appId + ", privateKey=****]";
        }
    }

    public boolean adminEnabled() {
        return adminPort >= 0 && adminToken != null;
    }

    @Override
    public String toString() {
        return "ExecutorConfig[bootstrapServers="
                + bootstrapServers
                + ", groupId="
                + groupId
                + ", githubApiUrl="
                + githubApiUrl
                + ", githubToken="
                + (githubToken == null ? "none" : "****")
                + ", githubApp="
                + (githubApp == null ? "none" : githubApp)
                + ", pollTimeout="
                + pollTimeout
                + ", githubTimeout="
                + githubTimeout
                + ", writeSpacing="
                + writeSpacing
                + ", contentCreationsPerMinute="
                + contentCreationsPerMinute
                + ", contentCreationsPerHour="
                + contentCreationsPerHour
                + ", maxConcurrentRequests="
                + maxConcurrentRequests
                + ", maxAttempts="
                + maxAttempts
                + ", backoffBase="
                + backoffBase
                + ", maxRateLimitWait="
                + maxRateLimitWait
                + ", adminPort="
                + adminPort
                + ", adminToken="
                + (adminToken == null ? "none" : "****")
                + ", killSwitch="
                + killSwitch
                + ", instanceId="
                + instanceId
                + ", adminTls="
                + (adminTlsCertFile == null
                        ? "off"
                        : "cert " + adminTlsCertFile + ", key " + adminTlsKeyFile)
                + ", kafkaProperties="
                + KafkaClientProperties.describe(kafkaProperties)
                + ", notifications="
                + notifications
                + "]";
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
    }

    private static void requireReadable(Path file, String what) {
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new IllegalArgumentException("cannot read the " + what + " file " + file);
        }
    }

    /** Applies one change to a mutable copy, so that each copier names only what it changes. */
    private ExecutorConfig copy(java.util.function.Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    private static final class Copy {
        String bootstrapServers;
        String groupId;
        String githubApiUrl;
        String githubToken;
        Duration pollTimeout;
        Duration githubTimeout;
        Duration writeSpacing;
        int contentCreationsPerMinute;
        int maxConcurrentRequests;
        int maxAttempts;
        Duration backoffBase;
        Duration maxRateLimitWait;
        int adminPort;
        String adminToken;
        boolean killSwitch;
        String instanceId;
        GitHubAppKey githubApp;
        String adminHost;
        Map<String, String> kafkaProperties;
        int contentCreationsPerHour;
        Path adminTlsCertFile;
        Path adminTlsKeyFile;
        NotificationSettings notifications;

        Copy(ExecutorConfig config) {
            bootstrapServers = config.bootstrapServers;
            groupId = config.groupId;
            githubApiUrl = config.githubApiUrl;
            githubToken = config.githubToken;
            pollTimeout = config.pollTimeout;
            githubTimeout = config.githubTimeout;
            writeSpacing = config.writeSpacing;
            contentCreationsPerMinute = config.contentCreationsPerMinute;
            maxConcurrentRequests = config.maxConcurrentRequests;
            maxAttempts = config.maxAttempts;
            backoffBase = config.backoffBase;
            maxRateLimitWait = config.maxRateLimitWait;
            adminPort = config.adminPort;
            adminToken = config.adminToken;
            killSwitch = config.killSwitch;
            instanceId = config.instanceId;
            githubApp = config.githubApp;
            adminHost = config.adminHost;
            kafkaProperties = config.kafkaProperties;
            contentCreationsPerHour = config.contentCreationsPerHour;
            adminTlsCertFile = config.adminTlsCertFile;
            adminTlsKeyFile = config.adminTlsKeyFile;
            notifications = config.notifications;
        }

        ExecutorConfig build() {
            return new ExecutorConfig(
                    bootstrapServers,
                    groupId,
                    githubApiUrl,
                    githubToken,
                    pollTimeout,
                    githubTimeout,
                    writeSpacing,
                    contentCreationsPerMinute,
                    maxConcurrentRequests,
                    maxAttempts,
                    backoffBase,
                    maxRateLimitWait,
                    adminPort,
                    adminToken,
                    killSwitch,
                    instanceId,
                    githubApp,
                    adminHost,
                    kafkaProperties,
                    contentCreationsPerHour,
                    adminTlsCertFile,
                    adminTlsKeyFile,
                    notifications);
        }
    }
}

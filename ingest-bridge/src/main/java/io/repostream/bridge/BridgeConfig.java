package io.repostream.bridge;

import java.time.Duration;
import java.util.Map;

/**
 * Everything the bridge needs to run. Start from {@link #defaults()} and change what differs with
 * the {@code with...} copiers. {@link #toString()} never shows a secret.
 *
 * @param host address to listen on (loopback by default)
 * @param port port to listen on; 0 picks a free one ({@link IngestBridge#port()} tells which)
 * @param kafkaBootstrapServers Kafka {@code bootstrap.servers}
 * @param secrets webhook secrets; a delivery must be signed with one of them
 * @param allowSha1Signatures accept {@code X-Hub-Signature} (HMAC-SHA1) when no SHA-256 one is sent
 * @param requestTimeout bound on a whole webhook request; past it the answer is 503
 * @param kafkaTimeout bound on waiting for Kafka's acknowledgement; past it the answer is 503
 * @param maxInFlight webhook requests handled at once; beyond, 503 with {@code Retry-After}
 * @param maxBodyBytes largest accepted body (GitHub caps payloads at 25 MB)
 * @param retryAfter what {@code Retry-After} says on a 503
 * @param dedupeWindow how long a delivery id is remembered (rebuilt from Kafka on start); zero
 *     turns deduplication off
 * @param dedupeCapacity most delivery ids remembered; the oldest are forgotten first
 * @param filter which events are written
 * @param eventLoops HTTP event loops (verticle instances)
 * @param kafkaProperties extra producer/consumer properties (security settings, ...)
 * @param poll which repositories to poll through GitHub's REST API (none by default)
 * @param maxBufferedBytes request-body bytes held at once across all deliveries in flight (bodies
 *     are buffered before their signature can be checked); beyond, 503 with {@code Retry-After}
 * @param headerTimeout bound on receiving a request's headers, from the connection's start or the
 *     previous answer; past it the connection is closed
 * @param idleTimeout a connection that sends and receives nothing this long is closed
 * @param tlsCertFile PEM certificate chain to serve HTTPS with (with {@code tlsKeyFile}); null:
 *     plain HTTP
 * @param tlsKeyFile PEM private key (PKCS#8 or PKCS#1) of {@code tlsCertFile}
 * @param pull whether the GitHub App's hook deliveries are pulled (off by default)
 */
public record BridgeConfig(
        String host,
        int port,
        String kafkaBootstrapServers,
        WebhookSecrets secrets,
        boolean allowSha1Signatures,
        Duration requestTimeout,
        Duration kafkaTimeout,
        int maxInFlight,
        long maxBodyBytes,
        Duration retryAfter,
        Duration dedupeWindow,
        int dedupeCapacity,
        IngestFilter filter,
        int eventLoops,
        Map<String, String> kafkaProperties,
        PollConfig poll,
        long maxBufferedBytes,
        Duration headerTimeout,
        Duration idleTimeout,
        java.nio.file.Path tlsCertFile,
        java.nio.file.Path tlsKeyFile,
        PullConfig pull) {

    /** GitHub does not send payloads larger than 25 MB. */
    public static final long GITHUB_MAX_PAYLOAD_BYTES = 25L * 1024 * 1024;

    /** Two and a half bodies of GitHub's largest, or a few thousand of the usual 10-30 KB. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 64L * 1024 * 1024;

    public BridgeConfig {
        require(host != null && !host.isBlank(), "host is required");
        require(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
        require(
                kafkaBootstrapServers != null && !kafkaBootstrapServers.isBlank(),
                "kafka bootstrap servers are required");
        secrets = secrets == null ? WebhookSecrets.none() : secrets;
        require(positive(requestTimeout), "request timeout must be positive");
        require(positive(kafkaTimeout), "kafka timeout must be positive");
        require(maxInFlight > 0, "max in-flight requests must be positive, got " + maxInFlight);
        require(maxBodyBytes > 0, "max body bytes must be positive, got " + maxBodyBytes);
        require(positive(retryAfter), "retry-after must be positive");
        require(dedupeWindow != null && !dedupeWindow.isNegative(), "dedupe window must be >= 0");
        require(dedupeCapacity > 0, "dedupe capacity must be positive, got " + dedupeCapacity);
        filter = filter == null ? IngestFilter.acceptAll() : filter;
        require(eventLoops > 0, "event loops must be positive, got " + eventLoops);
        kafkaProperties =
                io.repostream.schemas.topics.KafkaClientProperties.check(
                        kafkaProperties, "Kafka properties");
        poll = poll == null ? PollConfig.disabled() : poll;
        require(maxBufferedBytes > 0, "max buffered bytes must be positive");
        require(positive(headerTimeout), "header timeout must be positive");
        require(positive(idleTimeout), "idle timeout must be positive");
        require(
                (tlsCertFile == null) == (tlsKeyFile == null),
                "TLS needs both a certificate file and a key file");
        pull = pull == null ? PullConfig.disabled() : pull;
        if (pull.enabled()) {
            require(
                    poll.app() != null,
                    "pull.enabled needs poll.app (app_id, installation_id, private_key_file): the"
                            + " app's hook deliveries are read with the app's JWT, not a token");
            require(
                    !dedupeWindow.isZero(),
                    "pull.enabled needs deduplication (dedupe.window > 0): a delivery also posted"
                            + " as a webhook, and every restart, would be written twice");
            require(
                    pull.firstWindow().compareTo(dedupeWindow) <= 0,
                    "pull.first_window ("
                            + pull.firstWindow()
                            + ") must not exceed dedupe.window ("
                            + dedupeWindow
                            + "): older deliveries may be in Kafka already, unrecognised");
        }
    }

    /** Loopback, a free port, Kafka on localhost:9092, no secret yet (every delivery gets 401). */
    public static BridgeConfig defaults() {
        return new BridgeConfig(
                "127.0.0.1",
                0,
                "127.0.0.1:9092",
                WebhookSecrets.none(),
                false,
                Duration.ofSeconds(9),
                Duration.ofSeconds(5),
                1024,
                GITHUB_MAX_PAYLOAD_BYTES,
                Duration.ofSeconds(10),
                Duration.ofHours(24),
                1_000_000,
                IngestFilter.acceptAll(),
                Math.max(1, Runtime.getRuntime().availableProcessors()),
                Map.of(),
                PollConfig.disabled(),
                DEFAULT_MAX_BUFFERED_BYTES,
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                null,
                null,
                PullConfig.disabled());
    }

    public BridgeConfig withHost(String value) {
        return copy(b -> b.host = value);
    }

    public BridgeConfig withPort(int value) {
        return copy(b -> b.port = value);
    }

    public BridgeConfig withKafkaBootstrapServers(String value) {
        return copy(b -> b.kafkaBootstrapServers = value);
    }

    public BridgeConfig withSecrets(WebhookSecrets value) {
        return copy(b -> b.secrets = value);
    }

    /** One global webhook secret. */
    public BridgeConfig withWebhookSecret(String secret) {
        return withSecrets(WebhookSecrets.global(secret));
    }

    public BridgeConfig withAllowSha1Signatures(boolean value) {
        return copy(b -> b.allowSha1Signatures = value);
    }

    public BridgeConfig withRequestTimeout(Duration value) {
        return copy(b -> b.requestTimeout = value);
    }

    public BridgeConfig withKafkaTimeout(Duration value) {
        return copy(b -> b.kafkaTimeout = value);
    }

    public BridgeConfig withMaxInFlight(int value) {
        return copy(b -> b.maxInFlight = value);
    }

    public BridgeConfig withMaxBodyBytes(long value) {
        return copy(b -> b.maxBodyBytes = value);
    }

    public BridgeConfig withRetryAfter(Duration value) {
        return copy(b -> b.retryAfter = value);
    }

    public BridgeConfig withDedupeWindow(Duration value) {
        return copy(b -> b.dedupeWindow = value);
    }

    public BridgeConfig withDedupeCapacity(int value) {
        return copy(b -> b.dedupeCapacity = value);
    }

    public BridgeConfig withFilter(IngestFilter value) {
        return copy(b -> b.filter = value);
    }

    public BridgeConfig withEventLoops(int value) {
        return copy(b -> b.eventLoops = value);
    }

    public BridgeConfig withKafkaProperties(Map<String, String> value) {
        return copy(b -> b.kafkaProperties = value);
    }

    public BridgeConfig withPull(PullConfig value) {
        return copy(b -> b.pull = value);
    }

    public BridgeConfig withPoll(PollConfig value) {
        return copy(b -> b.poll = value);
    }

    public BridgeConfig withMaxBufferedBytes(long value) {
        return copy(b -> b.maxBufferedBytes = value);
    }

    public BridgeConfig withHeaderTimeout(Duration value) {
        return copy(b -> b.headerTimeout = value);
    }

    public BridgeConfig withIdleTimeout(Duration value) {
        return copy(b -> b.idleTimeout = value);
    }

    /** Serve HTTPS with this PEM certificate chain and key (both null: plain HTTP). */
    public BridgeConfig withTls(java.nio.file.Path certFile, java.nio.file.Path keyFile) {
        return copy(
                b -> {
                    b.tlsCertFile = certFile;
                    b.tlsKeyFile = keyFile;
                });
    }

    public boolean tls() {
        return tlsCertFile != null;
    }

    @Override
    public String toString() {
        return "BridgeConfig[host="
                + host
                + ", port="
                + port
                + ", kafka="
                + kafkaBootstrapServers
                + ", secrets="
                + secrets
                + ", allowSha1Signatures="
                + allowSha1Signatures
                + ", requestTimeout="
                + requestTimeout
                + ", kafkaTimeout="
                + kafkaTimeout
                + ", maxInFlight="
                + maxInFlight
                + ", maxBodyBytes="
                + maxBodyBytes
                + ", retryAfter="
                + retryAfter
                + ", dedupeWindow="
                + dedupeWindow
                + ", dedupeCapacity="
                + dedupeCapacity
                + ", filter="
                + filter
                + ", eventLoops="
                + eventLoops
                + ", kafkaProperties="
                + io.repostream.schemas.topics.KafkaClientProperties.describe(kafkaProperties)
                + ", poll="
                + poll
                + ", pull="
                + pull
                + ", maxBufferedBytes="
                + maxBufferedBytes
                + ", headerTimeout="
                + headerTimeout
                + ", idleTimeout="
                + idleTimeout
                + ", tls="
                + (tlsCertFile == null ? "off" : tlsCertFile)
                + "]";
    }

    /**
     * How long {@link IngestBridge#start} may wait for Kafka (to load the dedupe window) and for
     * the HTTP server: six Kafka timeouts, 30 s by default.
     */
    public Duration startupTimeout() {
        return kafkaTimeout.multipliedBy(6);
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Applies one change to a mutable copy, so that each copier names only what it changes. */
    private BridgeConfig copy(java.util.function.Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    private static final class Copy {
        String host;
        int port;
        String kafkaBootstrapServers;
        WebhookSecrets secrets;
        boolean allowSha1Signatures;
        Duration requestTimeout;
        Duration kafkaTimeout;
        int maxInFlight;
        long maxBodyBytes;
        Duration retryAfter;
        Duration dedupeWindow;
        int dedupeCapacity;
        IngestFilter filter;
        int eventLoops;
        Map<String, String> kafkaProperties;
        PollConfig poll;
        long maxBufferedBytes;
        Duration headerTimeout;
        Duration idleTimeout;
        java.nio.file.Path tlsCertFile;
        java.nio.file.Path tlsKeyFile;
        PullConfig pull;

        Copy(BridgeConfig config) {
            host = config.host;
            port = config.port;
            kafkaBootstrapServers = config.kafkaBootstrapServers;
            secrets = config.secrets;
            allowSha1Signatures = config.allowSha1Signatures;
            requestTimeout = config.requestTimeout;
            kafkaTimeout = config.kafkaTimeout;
            maxInFlight = config.maxInFlight;
            maxBodyBytes = config.maxBodyBytes;
            retryAfter = config.retryAfter;
            dedupeWindow = config.dedupeWindow;
            dedupeCapacity = config.dedupeCapacity;
            filter = config.filter;
            eventLoops = config.eventLoops;
            kafkaProperties = config.kafkaProperties;
            poll = config.poll;
            maxBufferedBytes = config.maxBufferedBytes;
            headerTimeout = config.headerTimeout;
            idleTimeout = config.idleTimeout;
            tlsCertFile = config.tlsCertFile;
            tlsKeyFile = config.tlsKeyFile;
            pull = config.pull;
        }

        BridgeConfig build() {
            return new BridgeConfig(
                    host,
                    port,
                    kafkaBootstrapServers,
                    secrets,
                    allowSha1Signatures,
                    requestTimeout,
                    kafkaTimeout,
                    maxInFlight,
                    maxBodyBytes,
                    retryAfter,
                    dedupeWindow,
                    dedupeCapacity,
                    filter,
                    eventLoops,
                    kafkaProperties,
                    poll,
                    maxBufferedBytes,
                    headerTimeout,
                    idleTimeout,
                    tlsCertFile,
                    tlsKeyFile,
                    pull);
        }
    }
}

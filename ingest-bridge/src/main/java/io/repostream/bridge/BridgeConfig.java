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
        PollConfig poll) {

    /** GitHub does not send payloads larger than 25 MB. */
    public static final long GITHUB_MAX_PAYLOAD_BYTES = 25L * 1024 * 1024;

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
        kafkaProperties = kafkaProperties == null ? Map.of() : Map.copyOf(kafkaProperties);
        poll = poll == null ? PollConfig.disabled() : poll;
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
                PollConfig.disabled());
    }

    public BridgeConfig withHost(String value) {
        return new BridgeConfig(
                value,
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
                poll);
    }

    public BridgeConfig withPort(int value) {
        return new BridgeConfig(
                host,
                value,
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
                poll);
    }

    public BridgeConfig withKafkaBootstrapServers(String value) {
        return new BridgeConfig(
                host,
                port,
                value,
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
                poll);
    }

    public BridgeConfig withSecrets(WebhookSecrets value) {
        return new BridgeConfig(
                host,
                port,
                kafkaBootstrapServers,
                value,
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
                poll);
    }

    /** One global webhook secret. */
    public BridgeConfig withWebhookSecret(String secret) {
        return withSecrets(WebhookSecrets.global(secret));
    }

    public BridgeConfig withAllowSha1Signatures(boolean value) {
        return new BridgeConfig(
                host,
                port,
                kafkaBootstrapServers,
                secrets,
                value,
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
                poll);
    }

    public BridgeConfig withRequestTimeout(Duration value) {
        return new BridgeConfig(
                host,
                port,
                kafkaBootstrapServers,
                secrets,
                allowSha1Signatures,
                value,
                kafkaTimeout,
                maxInFlight,
                maxBodyBytes,
                retryAfter,
                dedupeWindow,
                dedupeCapacity,
                filter,
                eventLoops,
                kafkaProperties,
                poll);
    }

    public BridgeConfig withKafkaTimeout(Duration value) {
        return new BridgeConfig(
                host,
                port,
                kafkaBootstrapServers,
                secrets,
                allowSha1Signatures,
                requestTimeout,
                value,
                maxInFlight,
                maxBodyBytes,
                retryAfter,
                dedupeWindow,
                dedupeCapacity,
                filter,
                eventLoops,
                kafkaProperties,
                poll);
    }

    public BridgeConfig withMaxInFlight(int value) {
        return new BridgeConfig(
                host,
                port,
                kafkaBootstrapServers,
                secrets,
                allowSha1Signatures,
                requestTimeout,
                kafkaTimeout,
                value,
                maxBodyBytes,
                retryAfter,
                dedupeWindow,
                dedupeCapacity,
                filter,
                eventLoops,
                kafkaProperties,
                poll);
    }

    public BridgeConfig withMaxBodyBytes(long value) {
        return new BridgeConfig(
                host,
                port,
                kafkaBootstrapServers,
                secrets,
                allowSha1Signatures,
                requestTimeout,
                kafkaTimeout,
                maxInFlight,
                value,
                retryAfter,
                dedupeWindow,
                dedupeCapacity,
                filter,
                eventLoops,
                kafkaProperties,
                poll);
    }

    public BridgeConfig withRetryAfter(Duration value) {
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
                value,
                dedupeWindow,
                dedupeCapacity,
                filter,
                eventLoops,
                kafkaProperties,
                poll);
    }

    public BridgeConfig withDedupeWindow(Duration value) {
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
                value,
                dedupeCapacity,
                filter,
                eventLoops,
                kafkaProperties,
                poll);
    }

    public BridgeConfig withDedupeCapacity(int value) {
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
                value,
                filter,
                eventLoops,
                kafkaProperties,
                poll);
    }

    public BridgeConfig withFilter(IngestFilter value) {
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
                value,
                eventLoops,
                kafkaProperties,
                poll);
    }

    public BridgeConfig withEventLoops(int value) {
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
                value,
                kafkaProperties,
                poll);
    }

    public BridgeConfig withKafkaProperties(Map<String, String> value) {
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
                value,
                poll);
    }

    public BridgeConfig withPoll(PollConfig value) {
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
                value);
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
                + kafkaProperties.keySet()
                + ", poll="
                + poll
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
}

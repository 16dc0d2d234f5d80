package io.repostream.bridge.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The bridge's settings file as Jackson binds it: one record per section, one component per key
 * (snake_case in the file), nothing else. {@link SettingsBinding} refuses a key that is not here,
 * naming it and the file; a key left out is null and keeps its default.
 */
record BridgeSettings(
        String host,
        Integer port,
        Integer eventLoops,
        Tls tls,
        Kafka kafka,
        Webhook webhook,
        Dedupe dedupe,
        Filter filter,
        Poll poll) {

    record Tls(String certFile, String keyFile) {}

    record Kafka(String bootstrapServers, Duration timeout, Map<String, String> properties) {}

    record Webhook(
            List<String> secrets,
            List<String> secretFiles,
            Map<String, List<String>> orgSecrets,
            Map<String, List<String>> repoSecrets,
            Boolean allowSha1,
            Long maxBodyBytes,
            Integer maxInFlight,
            Duration requestTimeout,
            Duration retryAfter,
            Long maxBufferedBytes,
            Duration headerTimeout,
            Duration idleTimeout) {}

    record Dedupe(Duration window, Integer capacity) {}

    record Filter(List<String> owners, List<String> ignoredEvents, List<String> labels) {
        boolean isEmpty() {
            return owners == null && ignoredEvents == null && labels == null;
        }
    }

    record Poll(
            String apiUrl,
            String tokenFile,
            List<String> repos,
            Duration interval,
            String stateFile,
            List<String> hooks,
            App app) {
        boolean isEmpty() {
            return Stream.of(apiUrl, tokenFile, repos, interval, stateFile, hooks, app)
                    .allMatch(java.util.Objects::isNull);
        }
    }

    record App(Long appId, Long installationId, String privateKeyFile) {}
}

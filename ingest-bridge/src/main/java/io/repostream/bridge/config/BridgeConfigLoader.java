package io.repostream.bridge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.repostream.bridge.BridgeConfig;
import io.repostream.bridge.IngestFilter;
import io.repostream.bridge.WebhookSecrets;
import io.repostream.schemas.topics.KafkaClientProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link BridgeConfig} from, in rising precedence: the defaults, a YAML file, and
 * environment variables. Unknown settings are errors (a typo must not silently fall back to a
 * default). Errors name the setting, never a secret's value. See README.md for the keys.
 */
public final class BridgeConfigLoader {
    public static final String ENV_CONFIG_FILE = "REPOSTREAM_CONFIG";
    public static final String ENV_HOST = "REPOSTREAM_BRIDGE_HOST";
    public static final String ENV_PORT = "REPOSTREAM_BRIDGE_PORT";
    public static final String ENV_KAFKA = "REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS";
    public static final String ENV_SECRET = "REPOSTREAM_WEBHOOK_SECRET";
    public static final String ENV_SECRET_FILE = "REPOSTREAM_WEBHOOK_SECRET_FILE";
    public static final String ENV_ALLOW_SHA1 = "REPOSTREAM_WEBHOOK_ALLOW_SHA1";
    public static final String ENV_KAFKA_TIMEOUT = "REPOSTREAM_KAFKA_TIMEOUT";
    public static final String ENV_MAX_IN_FLIGHT = "REPOSTREAM_MAX_IN_FLIGHT";
    public static final String ENV_DEDUPE_WINDOW = "REPOSTREAM_DEDUPE_WINDOW";
    public static final String ENV_EVENT_LOOPS = "REPOSTREAM_EVENT_LOOPS";
    public static final String ENV_MAX_BUFFERED_BYTES = "REPOSTREAM_MAX_BUFFERED_BYTES";
    public static final String ENV_TLS_CERT_FILE = "REPOSTREAM_BRIDGE_TLS_CERT_FILE";
    public static final String ENV_TLS_KEY_FILE = "REPOSTREAM_BRIDGE_TLS_KEY_FILE";

    private static final Set<String> TOP_KEYS =
            Set.of(
                    "host",
                    "port",
                    "event_loops",
                    "tls",
                    "kafka",
                    "webhook",
                    "dedupe",
                    "filter",
                    "poll");
    private static final Set<String> TLS_KEYS = Set.of("cert_file", "key_file");
    private static final Set<String> POLL_KEYS =
            Set.of("api_url", "token_file", "repos", "interval", "state_file", "hooks", "app");
    private static final Set<String> APP_KEYS =
            Set.of("app_id", "installation_id", "private_key_file");
    public static final String ENV_GITHUB_TOKEN = "REPOSTREAM_GITHUB_TOKEN";
    private static final Set<String> KAFKA_KEYS =
            Set.of("bootstrap_servers", "timeout", "properties");
    private static final Set<String> WEBHOOK_KEYS =
            Set.of(
                    "secrets",
                    "secret_files",
                    "org_secrets",
                    "repo_secrets",
                    "allow_sha1",
                    "max_body_bytes",
                    "max_in_flight",
                    "request_timeout",
                    "retry_after",
                    "max_buffered_bytes",
                    "header_timeout",
                    "idle_timeout");
    private static final Set<String> DEDUPE_KEYS = Set.of("window", "capacity");
    private static final Set<String> FILTER_KEYS = Set.of("owners", "ignored_events", "labels");

    private BridgeConfigLoader() {}

    /**
     * @param file the YAML file, or null
     * @param env the environment (usually {@code System.getenv()})
     * @throws IllegalArgumentException naming the bad setting
     */
    public static BridgeConfig load(Path file, Map<String, String> env) {
        BridgeConfig config = BridgeConfig.defaults();
        if (file != null) {
            config = applyYaml(config, read(file), file.toString(), env);
        }
        return applyEnv(config, env);
    }

    static JsonNode read(Path file) {
        try {
            JsonNode tree = new YAMLMapper().readTree(Files.readAllBytes(file));
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return new YAMLMapper().createObjectNode();
            }
            if (!tree.isObject()) {
                throw new IllegalArgumentException(file + ": expected a mapping of settings");
            }
            return tree;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read config file " + file + ": " + firstLine(e.getMessage()), e);
        }
    }

    static BridgeConfig applyYaml(
            BridgeConfig config, JsonNode root, String where, Map<String, String> env) {
        known(root, TOP_KEYS, where);
        if (root.has("host")) {
            config = config.withHost(text(root, "host", where));
        }
        if (root.has("port")) {
            config = config.withPort(integer(root, "port", where));
        }
        if (root.has("event_loops")) {
            config = config.withEventLoops(integer(root, "event_loops", where));
        }
        JsonNode tls = section(root, "tls", TLS_KEYS, where);
        if (tls.size() > 0) {
            if (!tls.has("cert_file") || !tls.has("key_file")) {
                throw new IllegalArgumentException(
                        where + ": tls needs both cert_file and key_file");
            }
            config =
                    config.withTls(
                            Path.of(text(tls, "cert_file", where)),
                            Path.of(text(tls, "key_file", where)));
        }
        JsonNode kafka = section(root, "kafka", KAFKA_KEYS, where);
        if (kafka.has("bootstrap_servers")) {
            config = config.withKafkaBootstrapServers(text(kafka, "bootstrap_servers", where));
        }
        if (kafka.has("timeout")) {
            config = config.withKafkaTimeout(duration(kafka, "timeout", where));
        }
        if (kafka.has("properties")) {
            Map<String, String> props = new LinkedHashMap<>();
            kafka.get("properties")
                    .fields()
                    .forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
            config = config.withKafkaProperties(props);
        }
        JsonNode webhook = section(root, "webhook", WEBHOOK_KEYS, where);
        config = config.withSecrets(secrets(webhook, config.secrets(), where));
        if (webhook.has("allow_sha1")) {
            config = config.withAllowSha1Signatures(bool(webhook, "allow_sha1", where));
        }
        if (webhook.has("max_body_bytes")) {
            config = config.withMaxBodyBytes(webhook.get("max_body_bytes").asLong());
        }
        if (webhook.has("max_in_flight")) {
            config = config.withMaxInFlight(integer(webhook, "max_in_flight", where));
        }
        if (webhook.has("request_timeout")) {
            config = config.withRequestTimeout(duration(webhook, "request_timeout", where));
        }
        if (webhook.has("retry_after")) {
            config = config.withRetryAfter(duration(webhook, "retry_after", where));
        }
        if (webhook.has("max_buffered_bytes")) {
            config = config.withMaxBufferedBytes(webhook.get("max_buffered_bytes").asLong());
        }
        if (webhook.has("header_timeout")) {
            config = config.withHeaderTimeout(duration(webhook, "header_timeout", where));
        }
        if (webhook.has("idle_timeout")) {
            config = config.withIdleTimeout(duration(webhook, "idle_timeout", where));
        }
        JsonNode dedupe = section(root, "dedupe", DEDUPE_KEYS, where);
        if (dedupe.has("window")) {
            config = config.withDedupeWindow(duration(dedupe, "window", where));
        }
        if (dedupe.has("capacity")) {
            config = config.withDedupeCapacity(integer(dedupe, "capacity", where));
        }
        JsonNode poll = section(root, "poll", POLL_KEYS, where);
        if (poll.size() > 0) {
            // The token comes from a file or the environment, never from the YAML itself.
            String token = present(env, ENV_GITHUB_TOKEN) ? env.get(ENV_GITHUB_TOKEN) : null;
            if (poll.has("token_file")) {
                List<String> lines = secretFile(text(poll, "token_file", where), "poll.token_file");
                token = lines.isEmpty() ? null : lines.get(0);
            }
            config =
                    config.withPoll(
                            new io.repostream.bridge.PollConfig(
                                    poll.has("api_url")
                                            ? text(poll, "api_url", where)
                                            : "https://api.github.com",
                                    token,
                                    strings(poll, "repos", where),
                                    poll.has("interval") ? duration(poll, "interval", where) : null,
                                    poll.has("state_file")
                                            ? Path.of(text(poll, "state_file", where))
                                            : null,
                                    strings(poll, "hooks", where),
                                    app(poll, where)));
        }
        JsonNode filter = section(root, "filter", FILTER_KEYS, where);
        if (filter.size() > 0) {
            config =
                    config.withFilter(
                            new IngestFilter(
                                    new LinkedHashSet<>(strings(filter, "owners", where)),
                                    new LinkedHashSet<>(strings(filter, "ignored_events", where)),
                                    new LinkedHashSet<>(strings(filter, "labels", where))));
        }
        return config;
    }

    static BridgeConfig applyEnv(BridgeConfig config, Map<String, String> env) {
        String where = "environment";
        if (present(env, ENV_HOST)) {
            config = config.withHost(env.get(ENV_HOST));
        }
        if (present(env, ENV_PORT)) {
            config = config.withPort(parseInt(env.get(ENV_PORT), ENV_PORT, where));
        }
        if (present(env, ENV_KAFKA)) {
            config = config.withKafkaBootstrapServers(env.get(ENV_KAFKA));
        }
        if (present(env, KafkaClientProperties.ENV_FILE)) {
            // the file (a mounted Secret: credentials) adds to the settings file's properties
            Map<String, String> props = new LinkedHashMap<>(config.kafkaProperties());
            props.putAll(KafkaClientProperties.fromEnvironment(env));
            config = config.withKafkaProperties(props);
        }
        List<String> secrets = new ArrayList<>();
        if (present(env, ENV_SECRET)) {
            secrets.add(env.get(ENV_SECRET));
        }
        if (present(env, ENV_SECRET_FILE)) {
            secrets.addAll(secretFile(env.get(ENV_SECRET_FILE), ENV_SECRET_FILE));
        }
        if (!secrets.isEmpty()) {
            WebhookSecrets current = config.secrets();
            config =
                    config.withSecrets(
                            new WebhookSecrets(secrets, current.perOrg(), current.perRepo()));
        }
        if (present(env, ENV_ALLOW_SHA1)) {
            config = config.withAllowSha1Signatures(Boolean.parseBoolean(env.get(ENV_ALLOW_SHA1)));
        }
        if (present(env, ENV_KAFKA_TIMEOUT)) {
            config =
                    config.withKafkaTimeout(
                            parseDuration(env.get(ENV_KAFKA_TIMEOUT), ENV_KAFKA_TIMEOUT, where));
        }
        if (present(env, ENV_MAX_IN_FLIGHT)) {
            config =
                    config.withMaxInFlight(
                            parseInt(env.get(ENV_MAX_IN_FLIGHT), ENV_MAX_IN_FLIGHT, where));
        }
        if (present(env, ENV_MAX_BUFFERED_BYTES)) {
            config =
                    config.withMaxBufferedBytes(
                            parseLong(
                                    env.get(ENV_MAX_BUFFERED_BYTES),
                                    ENV_MAX_BUFFERED_BYTES,
                                    where));
        }
        if (present(env, ENV_TLS_CERT_FILE) || present(env, ENV_TLS_KEY_FILE)) {
            if (!present(env, ENV_TLS_CERT_FILE) || !present(env, ENV_TLS_KEY_FILE)) {
                throw new IllegalArgumentException(
                        where
                                + ": "
                                + ENV_TLS_CERT_FILE
                                + " and "
                                + ENV_TLS_KEY_FILE
                                + " go together");
            }
            config =
                    config.withTls(
                            Path.of(env.get(ENV_TLS_CERT_FILE)),
                            Path.of(env.get(ENV_TLS_KEY_FILE)));
        }
        if (present(env, ENV_DEDUPE_WINDOW)) {
            config =
                    config.withDedupeWindow(
                            parseDuration(env.get(ENV_DEDUPE_WINDOW), ENV_DEDUPE_WINDOW, where));
        }
        if (present(env, ENV_EVENT_LOOPS)) {
            config =
                    config.withEventLoops(
                            parseInt(env.get(ENV_EVENT_LOOPS), ENV_EVENT_LOOPS, where));
        }
        if (present(env, ENV_GITHUB_TOKEN)) {
            var poll = config.poll();
            config =
                    config.withPoll(
                            new io.repostream.bridge.PollConfig(
                                    poll.apiUrl() == null
                                            ? "https://api.github.com"
                                            : poll.apiUrl(),
                                    env.get(ENV_GITHUB_TOKEN),
                                    poll.repos(),
                                    poll.interval(),
                                    poll.stateFile(),
                                    poll.hooks(),
                                    poll.app()));
        }
        return config;
    }

    private static io.repostream.bridge.GitHubApp app(JsonNode poll, String where) {
        JsonNode app = section(poll, "app", APP_KEYS, where + ": poll");
        if (app.size() == 0) {
            return null;
        }
        for (String key : APP_KEYS) {
            if (!app.has(key)) {
                throw new IllegalArgumentException(where + ": poll.app." + key + " is required");
            }
        }
        return new io.repostream.bridge.GitHubApp(
                app.get("app_id").asLong(),
                app.get("installation_id").asLong(),
                Path.of(text(app, "private_key_file", where)));
    }

    private static WebhookSecrets secrets(JsonNode webhook, WebhookSecrets current, String where) {
        List<String> global = new ArrayList<>(current.global());
        global.addAll(strings(webhook, "secrets", where));
        for (String file : strings(webhook, "secret_files", where)) {
            global.addAll(secretFile(file, "webhook.secret_files"));
        }
        Map<String, List<String>> orgs = new LinkedHashMap<>(current.perOrg());
        orgs.putAll(secretMap(webhook, "org_secrets", where));
        Map<String, List<String>> repos = new LinkedHashMap<>(current.perRepo());
        repos.putAll(secretMap(webhook, "repo_secrets", where));
        return new WebhookSecrets(global, orgs, repos);
    }

    private static Map<String, List<String>> secretMap(JsonNode webhook, String key, String where) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        JsonNode map = webhook.path(key);
        if (map.isMissingNode()) {
            return byName;
        }
        if (!map.isObject()) {
            throw new IllegalArgumentException(
                    where + ": webhook." + key + " must map names to lists of secrets");
        }
        map.fields()
                .forEachRemaining(
                        e ->
                                byName.put(
                                        e.getKey(),
                                        strings(map, e.getKey(), where + ": webhook." + key)));
        return byName;
    }

    /** One secret per non-blank line; the file's content never appears in an error. */
    private static List<String> secretFile(String path, String setting) {
        try {
            return Files.readAllLines(Path.of(path), StandardCharsets.UTF_8).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + ": cannot read secret file " + path, e);
        }
    }

    private static JsonNode section(JsonNode root, String name, Set<String> keys, String where) {
        JsonNode section = root.path(name);
        if (section.isMissingNode() || section.isNull()) {
            return new YAMLMapper().createObjectNode();
        }
        if (!section.isObject()) {
            throw new IllegalArgumentException(where + ": '" + name + "' must be a mapping");
        }
        known(section, keys, where + ": " + name);
        return section;
    }

    private static void known(JsonNode node, Set<String> keys, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!keys.contains(name)) {
                throw new IllegalArgumentException(
                        where
                                + ": unknown setting '"
                                + name
                                + "' (known: "
                                + new java.util.TreeSet<>(keys)
                                + ")");
            }
        }
    }

    private static List<String> strings(JsonNode node, String key, String where) {
        JsonNode value = node.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return List.of();
        }
        if (value.isTextual()) {
            return List.of(value.asText());
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException(where + ": '" + key + "' must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        value.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String text(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(
                    where + ": '" + key + "' must be a non-empty string");
        }
        return value.asText();
    }

    private static int integer(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value.canConvertToInt() && value.isIntegralNumber()) {
            return value.asInt();
        }
        return parseInt(value.asText(), key, where);
    }

    private static boolean bool(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(where + ": '" + key + "' must be true or false");
        }
        return value.asBoolean();
    }

    private static Duration duration(JsonNode node, String key, String where) {
        return parseDuration(node.get(key).asText(), key, where);
    }

    private static int parseInt(String text, String key, String where) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    where + ": '" + key + "' must be a whole number, got '" + text + "'");
        }
    }

    /** A duration given on the command line ({@code 500ms}, {@code 5s}, ..., or ISO-8601). */
    public static Duration duration(String text, String option) {
        return parseDuration(text, option, "command line");
    }

    private static long parseLong(String text, String key, String where) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    where + ": '" + key + "' must be a whole number, got '" + text + "'");
        }
    }

    /** {@code 500ms}, {@code 5s}, {@code 10m}, {@code 24h}, or ISO-8601 ({@code PT5S}). */
    static Duration parseDuration(String text, String key, String where) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException
                | DateTimeParseException
                | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(
                    where
                            + ": '"
                            + key
                            + "' must be a duration like 500ms, 5s, 10m, 24h or PT5S, got '"
                            + text
                            + "'");
        }
    }

    private static boolean present(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

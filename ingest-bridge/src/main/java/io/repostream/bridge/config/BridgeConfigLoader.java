package io.repostream.bridge.config;

import io.repostream.bridge.BridgeConfig;
import io.repostream.bridge.IngestFilter;
import io.repostream.bridge.WebhookSecrets;
import io.repostream.schemas.topics.KafkaClientProperties;
import io.repostream.serviceconfig.SettingsBinding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link BridgeConfig} from, in rising precedence: the defaults, a YAML file, and
 * environment variables. The file is bound onto {@link BridgeSettings} by Jackson ({@link
 * SettingsBinding}, shared by every service): unknown settings are errors naming the key and the
 * file (a typo must not silently fall back to a default). Errors name the setting, never a secret's
 * value. See README.md for the keys.
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

    public static final String ENV_GITHUB_TOKEN = "REPOSTREAM_GITHUB_TOKEN";

    private BridgeConfigLoader() {}

    /**
     * @param file the YAML file, or null
     * @param env the environment (usually {@code System.getenv()})
     * @throws IllegalArgumentException naming the bad setting
     */
    public static BridgeConfig load(Path file, Map<String, String> env) {
        BridgeConfig config = BridgeConfig.defaults();
        if (file != null) {
            config =
                    applyFile(
                            config,
                            SettingsBinding.read(file, BridgeSettings.class),
                            file.toString(),
                            env);
        }
        return applyEnv(config, env);
    }

    /** The settings of a file (bound by {@link SettingsBinding}) over {@code config}. */
    static BridgeConfig applyFile(
            BridgeConfig config, BridgeSettings file, String where, Map<String, String> env) {
        if (file.host() != null) {
            config = config.withHost(nonBlank(file.host(), "host", where));
        }
        config = set(config, file.port(), BridgeConfig::withPort);
        config = set(config, file.eventLoops(), BridgeConfig::withEventLoops);
        config = tls(config, file.tls(), where);
        config = kafka(config, file.kafka());
        config = webhook(config, file.webhook(), where);
        BridgeSettings.Dedupe dedupe = file.dedupe();
        if (dedupe != null) {
            config = set(config, dedupe.window(), BridgeConfig::withDedupeWindow);
            config = set(config, dedupe.capacity(), BridgeConfig::withDedupeCapacity);
        }
        if (file.poll() != null && !file.poll().isEmpty()) {
            config = config.withPoll(poll(file.poll(), where, env));
        }
        BridgeSettings.Pull pull = file.pull();
        if (pull != null) {
            // after poll: pull mode reads with poll.app
            config =
                    config.withPull(
                            new io.repostream.bridge.PullConfig(
                                    Boolean.TRUE.equals(pull.enabled()),
                                    pull.interval(),
                                    pull.firstWindow()));
        }
        BridgeSettings.Filter filter = file.filter();
        if (filter != null && !filter.isEmpty()) {
            config =
                    config.withFilter(
                            new IngestFilter(
                                    new LinkedHashSet<>(orEmpty(filter.owners())),
                                    new LinkedHashSet<>(orEmpty(filter.ignoredEvents())),
                                    new LinkedHashSet<>(orEmpty(filter.labels()))));
        }
        return config;
    }

    private static BridgeConfig tls(BridgeConfig config, BridgeSettings.Tls tls, String where) {
        if (tls == null || (tls.certFile() == null && tls.keyFile() == null)) {
            return config;
        }
        if (tls.certFile() == null || tls.keyFile() == null) {
            throw new IllegalArgumentException(where + ": tls needs both cert_file and key_file");
        }
        return config.withTls(
                Path.of(nonBlank(tls.certFile(), "tls.cert_file", where)),
                Path.of(nonBlank(tls.keyFile(), "tls.key_file", where)));
    }

    private static BridgeConfig kafka(BridgeConfig config, BridgeSettings.Kafka kafka) {
        if (kafka == null) {
            return config;
        }
        config = set(config, kafka.bootstrapServers(), BridgeConfig::withKafkaBootstrapServers);
        config = set(config, kafka.timeout(), BridgeConfig::withKafkaTimeout);
        if (kafka.properties() != null) {
            config = config.withKafkaProperties(new LinkedHashMap<>(kafka.properties()));
        }
        return config;
    }

    private static BridgeConfig webhook(
            BridgeConfig config, BridgeSettings.Webhook webhook, String where) {
        if (webhook == null) {
            return config;
        }
        config = config.withSecrets(secrets(webhook, config.secrets()));
        config = set(config, webhook.allowSha1(), BridgeConfig::withAllowSha1Signatures);
        config = set(config, webhook.maxBodyBytes(), BridgeConfig::withMaxBodyBytes);
        config = set(config, webhook.maxInFlight(), BridgeConfig::withMaxInFlight);
        config = set(config, webhook.requestTimeout(), BridgeConfig::withRequestTimeout);
        config = set(config, webhook.retryAfter(), BridgeConfig::withRetryAfter);
        config = set(config, webhook.maxBufferedBytes(), BridgeConfig::withMaxBufferedBytes);
        config = set(config, webhook.headerTimeout(), BridgeConfig::withHeaderTimeout);
        config = set(config, webhook.idleTimeout(), BridgeConfig::withIdleTimeout);
        return config;
    }

    private static io.repostream.bridge.PollConfig poll(
            BridgeSettings.Poll poll, String where, Map<String, String> env) {
        // The token comes from a file or the environment, never from the YAML itself.
        String token = present(env, ENV_GITHUB_TOKEN) ? env.get(ENV_GITHUB_TOKEN) : null;
        if (poll.tokenFile() != null) {
            List<String> lines =
                    secretFile(
                            nonBlank(poll.tokenFile(), "poll.token_file", where),
                            "poll.token_file");
            token = lines.isEmpty() ? null : lines.get(0);
        }
        return new io.repostream.bridge.PollConfig(
                poll.apiUrl() != null
                        ? nonBlank(poll.apiUrl(), "poll.api_url", where)
                        : "https://api.github.com",
                token,
                orEmpty(poll.repos()),
                poll.interval(),
                poll.stateFile() != null
                        ? Path.of(nonBlank(poll.stateFile(), "poll.state_file", where))
                        : null,
                orEmpty(poll.hooks()),
                app(poll.app(), where));
    }

    static BridgeConfig applyEnv(BridgeConfig config, Map<String, String> env) {
        String where = "environment";
        config = fromEnv(config, env, ENV_HOST, v -> v, BridgeConfig::withHost);
        config = envInt(config, env, ENV_PORT, BridgeConfig::withPort);
        config = fromEnv(config, env, ENV_KAFKA, v -> v, BridgeConfig::withKafkaBootstrapServers);
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
        config = envBool(config, env, ENV_ALLOW_SHA1, BridgeConfig::withAllowSha1Signatures);
        config = envDuration(config, env, ENV_KAFKA_TIMEOUT, BridgeConfig::withKafkaTimeout);
        config = envInt(config, env, ENV_MAX_IN_FLIGHT, BridgeConfig::withMaxInFlight);
        config = envLong(config, env, ENV_MAX_BUFFERED_BYTES, BridgeConfig::withMaxBufferedBytes);
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
        config = envDuration(config, env, ENV_DEDUPE_WINDOW, BridgeConfig::withDedupeWindow);
        config = envInt(config, env, ENV_EVENT_LOOPS, BridgeConfig::withEventLoops);
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

    private static io.repostream.bridge.GitHubApp app(BridgeSettings.App app, String where) {
        if (app == null) {
            return null;
        }
        if (app.appId() == null) {
            throw new IllegalArgumentException(where + ": poll.app.app_id is required");
        }
        if (app.installationId() == null) {
            throw new IllegalArgumentException(where + ": poll.app.installation_id is required");
        }
        if (app.privateKeyFile() == null) {
            throw new IllegalArgumentException(where + ": poll.app.private_key_file is required");
        }
        return new io.repostream.bridge.GitHubApp(
                app.appId(),
                app.installationId(),
                Path.of(nonBlank(app.privateKeyFile(), "poll.app.private_key_file", where)));
    }

    private static WebhookSecrets secrets(BridgeSettings.Webhook webhook, WebhookSecrets current) {
        List<String> global = new ArrayList<>(current.global());
        global.addAll(orEmpty(webhook.secrets()));
        for (String file : orEmpty(webhook.secretFiles())) {
            global.addAll(secretFile(file, "webhook.secret_files"));
        }
        Map<String, List<String>> orgs = new LinkedHashMap<>(current.perOrg());
        if (webhook.orgSecrets() != null) {
            orgs.putAll(webhook.orgSecrets());
        }
        Map<String, List<String>> repos = new LinkedHashMap<>(current.perRepo());
        if (webhook.repoSecrets() != null) {
            repos.putAll(webhook.repoSecrets());
        }
        return new WebhookSecrets(global, orgs, repos);
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

    /**
     * {@code config} with {@code value} set by {@code with}, or as it is when the file left it out.
     */
    private static <T> BridgeConfig set(
            BridgeConfig config,
            T value,
            java.util.function.BiFunction<BridgeConfig, T, BridgeConfig> with) {
        return value == null ? config : with.apply(config, value);
    }

    private static BridgeConfig envInt(
            BridgeConfig config, Map<String, String> env, String name, With<Integer> with) {
        return fromEnv(config, env, name, v -> parseInt(v, name, "environment"), with);
    }

    private static BridgeConfig envLong(
            BridgeConfig config, Map<String, String> env, String name, With<Long> with) {
        return fromEnv(config, env, name, v -> parseLong(v, name, "environment"), with);
    }

    private static BridgeConfig envDuration(
            BridgeConfig config, Map<String, String> env, String name, With<Duration> with) {
        return fromEnv(
                config, env, name, v -> SettingsBinding.duration(v, name, "environment"), with);
    }

    private static BridgeConfig envBool(
            BridgeConfig config, Map<String, String> env, String name, With<Boolean> with) {
        return fromEnv(config, env, name, Boolean::parseBoolean, with);
    }

    /** One of {@link BridgeConfig}'s {@code with...} copiers. */
    @FunctionalInterface
    private interface With<T>
            extends java.util.function.BiFunction<BridgeConfig, T, BridgeConfig> {}

    /** {@code config} with environment variable {@code name}, parsed, set by {@code with}. */
    private static <T> BridgeConfig fromEnv(
            BridgeConfig config,
            Map<String, String> env,
            String name,
            java.util.function.Function<String, T> parse,
            java.util.function.BiFunction<BridgeConfig, T, BridgeConfig> with) {
        return present(env, name) ? with.apply(config, parse.apply(env.get(name))) : config;
    }

    private static String nonBlank(String value, String key, String where) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(
                    where + ": '" + key + "' must be a non-empty string");
        }
        return value;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
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
        return SettingsBinding.duration(text, option, "command line");
    }

    private static long parseLong(String text, String key, String where) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    where + ": '" + key + "' must be a whole number, got '" + text + "'");
        }
    }

    private static boolean present(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }
}

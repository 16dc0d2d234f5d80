package io.repostream.bridge;

import io.repostream.bridge.config.BridgeConfigLoader;
import io.repostream.bridge.poll.GapFiller;
import io.repostream.schemas.topics.KafkaClientProperties;
import io.repostream.serviceconfig.ExitCodes;
import io.repostream.serviceconfig.KafkaOptions;
import io.repostream.serviceconfig.ServiceCommandLine;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs the ingest bridge as a service. Settings come from the defaults, then the YAML file, then
 * environment variables, then these options. Secrets are read from files or the environment, never
 * from the command line (where {@code ps} would show them).
 */
@Command(
        name = "ingest-bridge",
        mixinStandardHelpOptions = true,
        version = "repostream ingest-bridge 0.1.0",
        description = {
            "Receives GitHub webhooks and polls repositories (event feed, workflow runs, issues"
                    + " and pulls lists), and writes them durably to Kafka (github.events.v1).",
            "Subcommand gap-fill: redeliver the hooks' failed deliveries once (gap-fill --help).",
            "With --pull (pull.enabled), it also pulls the GitHub App's hook deliveries"
                    + " (GET /app/hook/deliveries, with the app's JWT from poll.app) and writes"
                    + " each as a received webhook: webhooks on a laptop without a tunnel. No"
                    + " HMAC there (the call is authenticated), and the payload is GitHub's"
                    + " parsed JSON re-serialized, not the bytes it signed."
        },
        footer = {
            "",
            "Environment variables:",
            "  REPOSTREAM_CONFIG                   YAML config file (like --config)",
            "  REPOSTREAM_BRIDGE_HOST / _PORT      where to listen",
            "  REPOSTREAM_KAFKA_BOOTSTRAP_SERVERS  Kafka bootstrap servers (over kafka.bootstrap_servers)",
            "  REPOSTREAM_KAFKA_PROPERTIES_FILE    Kafka client.properties (security.protocol,",
            "                                      sasl.*, ssl.*), added to kafka.properties",
            "  REPOSTREAM_WEBHOOK_SECRET           a global webhook secret",
            "  REPOSTREAM_WEBHOOK_SECRET_FILE      file with global secrets, one per line",
            "  REPOSTREAM_WEBHOOK_ALLOW_SHA1       true to accept X-Hub-Signature (SHA-1)",
            "  REPOSTREAM_KAFKA_TIMEOUT            e.g. 5s: past it a delivery gets 503",
            "  REPOSTREAM_MAX_IN_FLIGHT            concurrent deliveries before 503",
            "  REPOSTREAM_DEDUPE_WINDOW            e.g. 24h; 0s turns deduplication off",
            "  REPOSTREAM_EVENT_LOOPS              HTTP event loops",
            "  REPOSTREAM_MAX_BUFFERED_BYTES       request-body bytes buffered at once, all",
            "                                      deliveries together (default 67108864)",
            "  REPOSTREAM_BRIDGE_TLS_CERT_FILE / _TLS_KEY_FILE   PEM certificate and key",
            "Per-org and per-repo secrets, filters and Kafka client properties: see the YAML"
                    + " file in README.md.",
            "--kafka-bootstrap-servers: the old spelling of --bootstrap-servers; still accepted,"
                    + " with a warning, and to be removed.",
            "Exit codes: 0 stopped on request; 1 gap-fill could not read a hook's deliveries;"
                    + " 2 could not start (the reason on one line)."
        })
public final class BridgeMain implements Callable<Integer> {

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "YAML configuration file")
    Path configFile;

    @Option(names = "--host", description = "address to listen on (default 127.0.0.1)")
    String host;

    @Option(names = "--port", description = "port to listen on; 0 = any free port (default 0)")
    Integer port;

    /** {@code --bootstrap-servers}, {@code --kafka-properties-file}: as every service has them. */
    @Mixin KafkaOptions kafka;

    /** The option's name before every service used {@code --bootstrap-servers}. */
    @Option(
            names = "--kafka-bootstrap-servers",
            hidden = true,
            paramLabel = "HOST:PORT[,...]",
            description = "deprecated: use --bootstrap-servers")
    void deprecatedBootstrapServers(String servers) {
        spec.commandLine()
                .getErr()
                .println(
                        "ingest-bridge: warning: --kafka-bootstrap-servers is deprecated and will"
                                + " be removed; use --bootstrap-servers, the name every repostream"
                                + " service uses");
        spec.commandLine().getErr().flush();
        kafka.bootstrapServersOption(servers);
    }

    @Option(
            names = "--webhook-secret-file",
            paramLabel = "FILE",
            description = "file with global webhook secrets, one per line")
    Path secretFile;

    @Option(names = "--allow-sha1", description = "accept X-Hub-Signature (SHA-1) signatures")
    Boolean allowSha1;

    @Option(
            names = "--max-buffered-bytes",
            paramLabel = "BYTES",
            description =
                    "request-body bytes held at once across all deliveries in flight; beyond, 503"
                            + " with Retry-After (default 67108864, 64 MiB; at least"
                            + " webhook.max_body_bytes)")
    Long maxBufferedBytes;

    @Option(
            names = "--header-timeout",
            paramLabel = "DURATION",
            description =
                    "close a connection whose request headers are not complete within this, from"
                            + " its start or the last answer (default 10s)")
    String headerTimeout;

    @Option(
            names = "--idle-timeout",
            paramLabel = "DURATION",
            description =
                    "close a connection idle (nothing sent or received) this long (default 60s)")
    String idleTimeout;

    @Option(
            names = "--tls-cert-file",
            paramLabel = "FILE",
            description = "serve HTTPS with this PEM certificate (chain); needs --tls-key-file")
    Path tlsCertFile;

    @Option(
            names = "--tls-key-file",
            paramLabel = "FILE",
            description = "PEM private key (PKCS#8 or PKCS#1) of --tls-cert-file")
    Path tlsKeyFile;

    @Option(
            names = "--pull",
            description =
                    "pull the GitHub App's hook deliveries instead of (or besides) receiving them"
                            + " (pull.enabled; needs poll.app)")
    Boolean pull;

    @Option(
            names = "--pull-interval",
            paramLabel = "DURATION",
            description = "least time between two pulls (pull.interval, default 10s)")
    String pullInterval;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private final Map<String, String> env;

    public BridgeMain() {
        this(System.getenv());
    }

    BridgeMain(Map<String, String> env) {
        this.env = env;
        this.kafka = new KafkaOptions(env);
    }

    public static void main(String[] args) {
        System.exit(commandLine(new BridgeMain()).execute(args));
    }

    /** The command line, printing a start failure as one clear line instead of a stack trace. */
    static CommandLine commandLine(BridgeMain main) {
        return ServiceCommandLine.of(main);
    }

    /** The configuration these options, the file and the environment describe. */
    BridgeConfig config() {
        Path file = configFile;
        if (file == null && env.get(BridgeConfigLoader.ENV_CONFIG_FILE) != null) {
            file = Path.of(env.get(BridgeConfigLoader.ENV_CONFIG_FILE));
        }
        java.util.Map<String, String> merged = new java.util.HashMap<>(env);
        if (secretFile != null) {
            merged.put(BridgeConfigLoader.ENV_SECRET_FILE, secretFile.toString());
        }
        kafka.propertiesFileOption()
                .ifPresent(f -> merged.put(KafkaClientProperties.ENV_FILE, f.toString()));
        BridgeConfig config = BridgeConfigLoader.load(file, merged);
        if (host != null) {
            config = config.withHost(host);
        }
        if (port != null) {
            config = config.withPort(port);
        }
        if (kafka.bootstrapServersOption().isPresent()) {
            config = config.withKafkaBootstrapServers(kafka.bootstrapServersOption().get());
        }
        if (allowSha1 != null) {
            config = config.withAllowSha1Signatures(allowSha1);
        }
        if (maxBufferedBytes != null) {
            config = config.withMaxBufferedBytes(maxBufferedBytes);
        }
        if (headerTimeout != null) {
            config =
                    config.withHeaderTimeout(
                            BridgeConfigLoader.duration(headerTimeout, "--header-timeout"));
        }
        if (idleTimeout != null) {
            config =
                    config.withIdleTimeout(
                            BridgeConfigLoader.duration(idleTimeout, "--idle-timeout"));
        }
        if (pull != null || pullInterval != null) {
            PullConfig current = config.pull();
            config =
                    config.withPull(
                            new PullConfig(
                                    pull != null ? pull : current.enabled(),
                                    pullInterval != null
                                            ? BridgeConfigLoader.duration(
                                                    pullInterval, "--pull-interval")
                                            : current.interval(),
                                    current.firstWindow()));
        }
        if (tlsCertFile != null || tlsKeyFile != null) {
            if (tlsCertFile == null || tlsKeyFile == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--tls-cert-file and --tls-key-file go together");
            }
            config = config.withTls(tlsCertFile, tlsKeyFile);
        }
        return config;
    }

    /**
     * {@code ingest-bridge gap-fill}: one gap fill on demand (e.g. after an outage), with the same
     * configuration as the running bridges, which receive the redeliveries.
     */
    @Command(
            name = "gap-fill",
            mixinStandardHelpOptions = true,
            description = {
                "Asks GitHub to redeliver the deliveries of poll.hooks whose attempts all failed"
                        + " and that are not in Kafka, once, then exits. The redeliveries go to"
                        + " the hooks' URLs (the running bridges), which write each one once.",
                "Only deliveries first attempted within the dedupe window (less 10 minutes) are"
                        + " redelivered: an older one may be in Kafka already and is reported"
                        + " instead.",
                "Uses the same configuration as the bridge (--config, REPOSTREAM_*); exits 1"
                        + " when a hook's deliveries could not be read."
            })
    int gapFill() {
        GapFiller.Summary summary = IngestBridge.gapFillOnce(config());
        spec.commandLine()
                .getOut()
                .println(
                        "gap fill: asked GitHub to redeliver "
                                + summary.redelivered()
                                + " deliveries; "
                                + summary.inKafka()
                                + " failed ones are in Kafka already; "
                                + summary.tooOld()
                                + " are older than the dedupe window and were left alone (see the log);"
                                + " "
                                + summary.failedHooks()
                                + " hooks could not be read");
        spec.commandLine().getOut().flush();
        return summary.failedHooks() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    @Override
    public Integer call() throws InterruptedException {
        IngestBridge bridge = IngestBridge.start(config());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    bridge.close();
                                    stopped.countDown();
                                },
                                "repostream-bridge-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }
}

package io.repostream.localstack;

import io.repostream.bridge.BridgeConfig;
import io.repostream.bridge.IngestBridge;
import io.repostream.bridge.PollConfig;
import io.repostream.executor.ActionExecutor;
import io.repostream.executor.ExecutorConfig;
import io.repostream.executor.notify.NotificationSettings;
import io.repostream.flink.JobConfig;
import io.repostream.flink.RepostreamJob;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.repostream.testkit.notify.PagerDutySimulator;
import io.repostream.testkit.notify.SlackSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one JVM: an in-process KRaft broker, the GitHub simulator, the ingest
 * bridge, the Flink job on a MiniCluster (RocksDB, exactly-once) and the action executor. The same
 * production classes as in a deployment; only GitHub is simulated.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    static final String GITHUB_TOKEN_LOGIN = "repostream-demo[bot]";

    /**
     * The GitHub App the executor authenticates as in {@link #startAsGitHubApp}; install it on
     * repositories with {@code github().installApp(GITHUB_APP_ID, installationId, repos...)}.
     */
    public static final long GITHUB_APP_ID = 4_242;

    /**
     * The PagerDuty routing key name the executor knows ({@code pagerduty_routing_key} in a
     * policy's escalation levels); its key is an integration of {@link #pagerDuty()}.
     */
    public static final String PAGERDUTY_KEY_NAME = "team-oncall";

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Path workDir;
    private final String webhookSecret;
    private EmbeddedKafkaBroker kafka;
    private GitHubSimulator github;
    private SlackSimulator slack;
    private PagerDutySimulator pagerDuty;
    private IngestBridge bridge;
    private final List<String> polledRepos;
    private final boolean asGitHubApp;
    private final Duration checkpointInterval;
    private JobClient flinkJob;
    private ActionExecutor executor;
    private final String adminToken = randomHex(32);

    private LocalStack(
            Path workDir,
            List<String> polledRepos,
            boolean asGitHubApp,
            Duration checkpointInterval) {
        this.workDir = workDir;
        this.webhookSecret = randomHex(32);
        this.polledRepos = List.copyOf(polledRepos);
        this.asGitHubApp = asGitHubApp;
        this.checkpointInterval = checkpointInterval;
    }

    /** Starts every part, in dependency order; on failure stops what was started and rethrows. */
    public static LocalStack start(Path workDir) throws Exception {
        return start(workDir, List.of());
    }

    /**
     * The same, with the bridge also polling these repositories of the simulator every second (for
     * repositories without webhooks); create them in {@link #github()} before their first event.
     */
    public static LocalStack start(Path workDir, List<String> polledRepos) throws Exception {
        return start(
                new LocalStack(workDir, polledRepos, false, JobConfig.DEFAULT_CHECKPOINT_INTERVAL));
    }

    /**
     * The same, with the executor authenticating as GitHub App {@link #GITHUB_APP_ID}, registered
     * in the simulator with a key generated here: each repository's writes then use the token and
     * the write pacing of the installation that owns it, as in production, instead of the one token
     * that {@link #start(Path)} gives the executor (one installation, whatever the repo).
     */
    public static LocalStack startAsGitHubApp(Path workDir) throws Exception {
        return start(
                new LocalStack(workDir, List.of(), true, JobConfig.DEFAULT_CHECKPOINT_INTERVAL));
    }

    /**
     * For measurements of other settings than the defaults (local-stack/bench): the executor as a
     * GitHub App or with the one token, and the Flink job checkpointing at this interval.
     */
    public static LocalStack start(Path workDir, boolean asGitHubApp, Duration checkpointInterval)
            throws Exception {
        return start(new LocalStack(workDir, List.of(), asGitHubApp, checkpointInterval));
    }

    private static LocalStack start(LocalStack stack) throws Exception {
        try {
            stack.startAll();
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Files.createDirectories(workDir);
        kafka = remember(EmbeddedKafkaBroker.start(workDir.resolve("kafka")));
        kafka.createTopics(Topics.all());
        LOG.info("Kafka (KRaft, in-process) at {}", kafka.bootstrapServers());

        github = remember(GitHubSimulator.start());
        String token = randomHex(20);
        github.addToken(token, GITHUB_TOKEN_LOGIN);
        LOG.info("GitHub simulator at {}", github.baseUrl());

        bridge =
                remember(
                        IngestBridge.start(
                                BridgeConfig.defaults()
                                        .withKafkaBootstrapServers(kafka.bootstrapServers())
                                        .withWebhookSecret(webhookSecret)
                                        .withPoll(
                                                polledRepos.isEmpty()
                                                        ? PollConfig.disabled()
                                                        : new PollConfig(
                                                                github.baseUrl(),
                                                                token,
                                                                polledRepos,
                                                                Duration.ofSeconds(1),
                                                                workDir.resolve(
                                                                        "poll-cursors.json")))));
        LOG.info("ingest bridge at {}", webhookUrl());

        flinkJob =
                startFlinkJob(
                        kafka.bootstrapServers(),
                        workDir.resolve("flink-checkpoints"),
                        checkpointInterval);
        started.push(() -> flinkJob.cancel().get());
        LOG.info("Flink job {} submitted to a local MiniCluster", flinkJob.getJobID());

        // Slack and PagerDuty, simulated like GitHub: the executor's notifications go there
        slack = remember(SlackSimulator.start());
        pagerDuty = remember(PagerDutySimulator.start());
        String routingKey = randomHex(16);
        pagerDuty.addIntegration(routingKey);
        NotificationSettings notifications =
                new NotificationSettings(
                        slack.baseUrl(),
                        SlackSimulator.DEFAULT_TOKEN,
                        pagerDuty.baseUrl(),
                        Map.of(PAGERDUTY_KEY_NAME, routingKey),
                        null);

        // the admin API on loopback (the executor's default host), so that the demo's console can
        // preview and undo; its token lives only in this process
        executor =
                remember(
                        ActionExecutor.start(
                                executorConfig(token)
                                        .withAdmin(0, adminToken)
                                        .withNotifications(notifications)));
        LOG.info(
                "action executor started{}, admin API at {}",
                asGitHubApp ? " as GitHub App " + GITHUB_APP_ID : "",
                executorAdminUrl());
    }

    private ExecutorConfig executorConfig(String token) throws Exception {
        if (!asGitHubApp) {
            return ExecutorConfig.defaults(kafka.bootstrapServers(), github.baseUrl(), token);
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        github.registerApp(GITHUB_APP_ID, keys.getPublic());
        String pem =
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'})
                                .encodeToString(keys.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
        return ExecutorConfig.forGitHubApp(
                kafka.bootstrapServers(), github.baseUrl(), GITHUB_APP_ID, pem);
    }

    static JobClient startFlinkJob(String bootstrapServers, Path checkpoints) throws Exception {
        return startFlinkJob(bootstrapServers, checkpoints, JobConfig.DEFAULT_CHECKPOINT_INTERVAL);
    }

    private static JobClient startFlinkJob(
            String bootstrapServers, Path checkpoints, Duration checkpointInterval)
            throws Exception {
        Configuration conf = RepostreamJob.localConfiguration(checkpoints, checkpointInterval);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        RepostreamJob.fromKafka(
                        JobConfig.defaults(bootstrapServers)
                                .withCheckpointInterval(checkpointInterval))
                .build(env);
        return env.executeAsync("repostream (local)");
    }

    private <T extends AutoCloseable> T remember(T part) {
        started.push(part);
        return part;
    }

    public EmbeddedKafkaBroker kafka() {
        return kafka;
    }

    public GitHubSimulator github() {
        return github;
    }

    /** Writes {@code policy} to github.config.v1, as the policy command does. */
    public void publishPolicy(RepoPolicy policy) throws Exception {
        try (var producer =
                new KafkaProducer<String, byte[]>(
                        kafka.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            byte[] value =
                    Topics.CONFIG.valueSerde().serializer().serialize(Topics.CONFIG.name(), policy);
            producer.send(new ProducerRecord<>(Topics.CONFIG.name(), policy.repo(), value)).get();
        }
    }

    /** The Slack the executor posts to (its bot token is the simulator's default). */
    public SlackSimulator slack() {
        return slack;
    }

    /** The PagerDuty the executor sends events to; {@link #PAGERDUTY_KEY_NAME} is its key. */
    public PagerDutySimulator pagerDuty() {
        return pagerDuty;
    }

    /** The bridge's webhook endpoint, as GitHub would be configured with it. */
    /** The executor's admin API, on 127.0.0.1 and a free port. */
    public String executorAdminUrl() {
        return "http://127.0.0.1:" + executor.adminPort();
    }

    /** The admin API's bearer token, random per run (never printed). */
    public String executorAdminToken() {
        return adminToken;
    }

    public String webhookUrl() {
        return "http://127.0.0.1:" + bridge.port() + "/webhooks/github";
    }

    /** The generated webhook secret; handed to the replayer and the bench only, never printed. */
    public String webhookSecret() {
        return webhookSecret;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static Path tempWorkDir() {
        try {
            return Files.createTempDirectory("repostream-local-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

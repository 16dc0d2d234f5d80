package io.repostream.flink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.rules.merge.PullRequestScenario;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.DeadLetter;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.MergeQueue;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Sla;
import io.repostream.schemas.RepoPolicy.SlaTarget;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events in on {@code github.events.v1} → the job on a MiniCluster with RocksDB and exactly-once
 * checkpoints → actions read {@code read_committed} from {@code github.actions.v1}, and what the
 * job cannot read to {@code github.events.dlq.v1}; audit records in on {@code github.audit.v1} back
 * to the rule that proposed the action.
 */
class KafkaEndToEndTest {
    private static final String REPO = "octo-org/widgets";

    /** The head of the pull requests of {@link PullRequestScenario}. */
    private static final String SHA = PullRequestScenario.SHA_1;

    /**
     * Events happen now: the job's event time follows the wall clock once its sources are quiet,
     * and old events would then breach every SLA at once.
     */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir Path checkpoints;

    private EmbeddedKafkaBroker broker;
    private KafkaProducer<String, String> producer;
    private JobClient job;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(Topics.all());
        producer = new KafkaProducer<>(broker.producerProps());
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (job != null) {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        producer.close();
        broker.close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void turnsIssueEventsFromKafkaIntoCommittedActionsAndFollowsAPolicyChangeWithoutRestart()
            throws Exception {
        send(Topics.EVENTS, REPO, Events.issue("opened", REPO, 1, List.of(), NOW));
        send(Topics.EVENTS, REPO, Events.issue("opened", REPO, 2, List.of("bug"), NOW));
        producer.send(
                        new ProducerRecord<>(
                                Topics.EVENTS.name(), REPO, "{\"this is\": \"not an event\"}"))
                .get();
        send(Topics.EVENTS, REPO, Events.issue("opened", REPO, 3, List.of(), NOW.plusSeconds(5)));
        job = startJob();

        List<ConsumerRecord<String, ActionRecord>> first =
                broker.consume(Topics.ACTIONS, 2, Duration.ofSeconds(60));
        assertThat(first)
                .extracting(r -> r.value().actionId())
                .containsExactlyInAnyOrder(
                        "triage-label@1:octo-org/widgets#1", "triage-label@1:octo-org/widgets#3");
        assertThat(first).allSatisfy(r -> assertThat(r.key()).isEqualTo(REPO));
        assertThat(first)
                .allSatisfy(
                        r ->
                                assertThat(r.value().params().get("labels").get(0).asText())
                                        .isEqualTo("needs-triage"));

        RepoPolicy policy =
                RepoPolicy.builder(REPO)
                        .triage(RepoPolicy.Triage.labelling("triage/new"))
                        .dryRun(true)
                        .actionBudgetPerHour(300)
                        .updatedAt(NOW)
                        .build();
        send(Topics.CONFIG, REPO, policy);
        ActionRecord underPolicy = null;
        // the policy and the events travel on different topics: open issues until one is seen
        // under the new policy, a bounded number of times
        for (int n = 10; n < 40 && underPolicy == null; n++) {
            send(
                    Topics.EVENTS,
                    REPO,
                    Events.issue("opened", REPO, n, List.of(), NOW.plusSeconds(n)));
            List<ConsumerRecord<String, ActionRecord>> all =
                    broker.consume(Topics.ACTIONS, first.size() + n - 9, Duration.ofSeconds(30));
            underPolicy =
                    all.stream()
                            .map(ConsumerRecord::value)
                            .filter(a -> a.producedBy().equals("triage-label@1"))
                            .filter(
                                    a ->
                                            a.params()
                                                    .get("labels")
                                                    .get(0)
                                                    .asText()
                                                    .equals("triage/new"))
                            .findFirst()
                            .orElse(null);
        }
        assertThat(underPolicy).as("an action under the new policy").isNotNull();
        assertThat(underPolicy.dryRun()).isTrue();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void firesAnSlaBreachWhileNoEventsArriveBecauseEventTimeFollowsTheWallClockWhenCaughtUp()
            throws Exception {
        Sla fast =
                Sla.builder()
                        .targets(
                                Map.of(
                                        "P0",
                                        new SlaTarget(Duration.ofSeconds(20), Duration.ofHours(1))))
                        .warnFraction(0.0)
                        .businessHoursOnly(false)
                        .build();
        send(
                Topics.CONFIG,
                REPO,
                RepoPolicy.builder(REPO).actionBudgetPerHour(300).sla(fast).updatedAt(NOW).build());
        job = startJob(Duration.ofSeconds(2), Duration.ofSeconds(2));

        // the policy may reach the rule after the first openings: open ten P0 issues, one a
        // second, then stay quiet. Event time from the events alone would stop 2 s before the
        // last opening, short of every 20 s deadline: only a clock that runs on while the sources
        // are caught up can fire a breach.
        for (int n = 100; n < 110; n++) {
            send(
                    Topics.EVENTS,
                    REPO,
                    Events.issue("opened", REPO, n, List.of("P0"), Instant.now()));
            Thread.sleep(1_000);
        }
        String breach = null;
        try (KafkaConsumer<String, String> reader = actionsReader()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (breach == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(500))) {
                    if (r.value().contains("response-breach")) {
                        breach = r.value();
                    }
                }
            }
        }
        assertThat(breach).as("a response breach while the sources were quiet").isNotNull();
        assertThat(breach).contains("\"produced_by\":\"sla-monitor@1\"");
    }

    /**
     * With the shipped event-time settings (30 s out-of-orderness), event time trails the wall
     * clock by 30 s even when the sources are caught up, so a deadline settled by the watermark is
     * written 30 s or more after it is due. A live job settles it on the wall clock: the breach
     * action is written (its Kafka write time) well before the watermark could have passed.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aLiveJobWritesABreachOnTheWallClockNotWhenTheWatermarkPassesThirtySecondsLater()
            throws Exception {
        Sla fast =
                Sla.builder()
                        .targets(
                                Map.of(
                                        "P0",
                                        new SlaTarget(Duration.ofSeconds(20), Duration.ofHours(1))))
                        .warnFraction(0.0)
                        .businessHoursOnly(false)
                        .build();
        send(
                Topics.CONFIG,
                REPO,
                RepoPolicy.builder(REPO).actionBudgetPerHour(300).sla(fast).updatedAt(NOW).build());
        job = startJob();
        // the policy must have reached the rule before the opening: wait for the job to run
        Thread.sleep(5_000);
        Instant opened = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        send(Topics.EVENTS, REPO, Events.issue("opened", REPO, 200, List.of("P0"), opened));
        Instant due = opened.plusSeconds(20);
        Instant written = null;
        try (KafkaConsumer<String, String> reader = actionsReader()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(80).toNanos();
            while (written == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(500))) {
                    if (r.value().contains("#200@") && r.value().contains("response-breach")) {
                        written = Instant.ofEpochMilli(r.timestamp());
                    }
                }
            }
        }
        assertThat(written).as("the breach of #200").isNotNull();
        assertThat(Duration.between(due, written))
                .as("due %s, written %s", due, written)
                .isLessThan(Duration.ofSeconds(20));
    }

    /**
     * A job started on a backlog two hours old must decide its deadlines on the backlog's event
     * time, however long the backlog takes to read. Flink's source has a reader-wide watermark
     * generator beside one per Kafka partition; the Kafka reader gives every record to a
     * partition's generator, so the reader-wide one never sees a record. When it took that silence
     * for a caught-up source, it moved event time to the wall clock ten seconds after the start,
     * past every deadline of the backlog, before the answers to them were read (the flink-jobs
     * bench: thousands of SLA breach labels on a backlog two hours old). Here the answer is read
     * after that moment: no breach may be written.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aBacklogsDeadlinesWaitForItsAnswersThoughTheyAreReadLongAfterTheStart() throws Exception {
        Sla sla =
                Sla.builder()
                        .targets(
                                Map.of(
                                        "P0",
                                        new SlaTarget(Duration.ofMinutes(20), Duration.ofDays(2))))
                        .warnFraction(0.0)
                        .businessHoursOnly(false)
                        .build();
        send(
                Topics.CONFIG,
                REPO,
                RepoPolicy.builder(REPO).actionBudgetPerHour(300).sla(sla).updatedAt(NOW).build());
        Instant opened = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        send(Topics.EVENTS, REPO, Events.issue("opened", REPO, 300, List.of("P0"), opened));
        job = startJob();
        // the reader reads the opening, then nothing for longer than the idleness (10 s)
        Thread.sleep(25_000);
        send(
                Topics.EVENTS,
                REPO,
                Events.comment(REPO, 300, "maintainer", "User", opened.plusSeconds(300)));
        // read after the answer (one key, one partition): its triage label says the answer is read
        send(
                Topics.EVENTS,
                REPO,
                Events.issue("opened", REPO, 301, List.of(), opened.plusSeconds(360)));
        String triage301 = "\"triage-label@1:" + REPO + "#301\"";
        List<String> actions = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> reader = actionsReader()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (actions.stream().noneMatch(a -> a.contains(triage301))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(500))) {
                    actions.add(r.value());
                }
            }
        }
        assertThat(actions).as("the triage label of #301").anyMatch(a -> a.contains(triage301));
        assertThat(actions)
                .as("a breach of #300, answered 5 minutes after it was opened")
                .noneMatch(a -> a.contains("#300@") && a.contains("breach"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aJobStartedWithoutStateFollowsThePolicyPublishedBeforeItsGroupsCommittedOffset()
            throws Exception {
        RepoPolicy policy =
                RepoPolicy.builder(REPO)
                        .triage(RepoPolicy.Triage.labelling("triage/new"))
                        .actionBudgetPerHour(300)
                        .updatedAt(NOW)
                        .build();
        send(Topics.CONFIG, REPO, policy);
        // what an earlier run of the job left behind: its group's offsets past the policy
        commitGroupOffsetsAtTheEnd(Topics.CONFIG);

        job = startJob();
        ActionRecord underPolicy = null;
        // the policy and the events travel on different topics: open issues until one is seen
        // under the policy, a bounded number of times
        for (int n = 1; n < 30 && underPolicy == null; n++) {
            send(
                    Topics.EVENTS,
                    REPO,
                    Events.issue("opened", REPO, n, List.of(), NOW.plusSeconds(n)));
            underPolicy =
                    broker.consume(Topics.ACTIONS, n, Duration.ofSeconds(30)).stream()
                            .map(ConsumerRecord::value)
                            .filter(
                                    a ->
                                            a.params()
                                                    .get("labels")
                                                    .get(0)
                                                    .asText()
                                                    .equals("triage/new"))
                            .findFirst()
                            .orElse(null);
        }
        assertThat(underPolicy)
                .as("an action under the policy published before the start")
                .isNotNull();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sendsEveryEventItCannotDecodeToTheDeadLetterTopicWithItsReasonAndBytes() throws Exception {
        String good = new String(Topics.EVENTS.valueCodec().encode(opened(1)), UTF_8);
        // each bad record would otherwise be an issue opened without labels (#2..#5)
        Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
        bad.put("invalid_utf8", withNote(opened(2), new byte[] {(byte) 0xC0, (byte) 0xAF}));
        bad.put("lone_surrogate", withNote(opened(3), "\\ud800".getBytes(UTF_8)));
        bad.put("malformed_json", Arrays.copyOf(good.getBytes(UTF_8), good.length() / 2));
        bad.put("invalid_event", "{\"this is\": \"not an event\"}".getBytes(UTF_8));
        try (KafkaProducer<String, byte[]> raw =
                new KafkaProducer<>(
                        broker.producerProps(),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            for (byte[] value : bad.values()) {
                raw.send(new ProducerRecord<>(Topics.EVENTS.name(), REPO, value)).get();
            }
        }
        send(Topics.EVENTS, REPO, opened(6));
        job = startJob();

        List<ConsumerRecord<String, DeadLetter>> letters =
                CommittedRecords.await(
                        broker,
                        Topics.EVENTS_DLQ,
                        all -> all.size() >= bad.size(),
                        Duration.ofSeconds(60));
        CommittedRecords.await(
                broker, Topics.ACTIONS, all -> !all.isEmpty(), Duration.ofSeconds(60));
        // one more checkpoint commits whatever either sink still holds
        Checkpoints.awaitMore(checkpoints, job.getJobID().toString(), 1);

        assertThat(CommittedRecords.readToEnd(broker, Topics.EVENTS_DLQ, Duration.ofSeconds(30)))
                .hasSameSizeAs(bad.keySet());
        assertThat(letters)
                .extracting(r -> r.value().reason().substring(0, r.value().reason().indexOf(':')))
                .containsExactlyElementsOf(bad.keySet());
        assertThat(letters)
                .extracting(r -> r.value().body())
                .containsExactlyElementsOf(
                        bad.values().stream().map(b -> new String(b, UTF_8)).toList());
        assertThat(letters)
                .allSatisfy(
                        r -> {
                            assertThat(r.key()).isEqualTo(REPO);
                            assertThat(r.value().source()).isEqualTo("flink-jobs");
                            assertThat(r.value().headers())
                                    .containsEntry("kafka-topic", Topics.EVENTS.name())
                                    .containsKeys("kafka-partition", "kafka-offset");
                        });
        assertThat(CommittedRecords.readToEnd(broker, Topics.ACTIONS, Duration.ofSeconds(30)))
                .extracting(r -> r.value().actionId())
                .containsExactly("triage-label@1:octo-org/widgets#6");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void anActionTheGovernorDropsIsAuditedAsDroppedOnTheAuditTopic() throws Exception {
        // the repo's policy leaves no budget at all
        send(
                Topics.CONFIG,
                REPO,
                RepoPolicy.builder(REPO).actionBudgetPerHour(0).updatedAt(NOW).build());
        job = startJob();

        // the policy and the events travel on different topics: open issues until one meets the
        // policy. Every proposed action ends up in one place: on the actions topic, or on the
        // audit topic as dropped
        AuditRecord dropped = null;
        for (int n = 1; n < 30 && dropped == null; n++) {
            send(Topics.EVENTS, REPO, opened(n));
            String id = "triage-label@1:" + REPO + "#" + n;
            dropped =
                    Awaitility.await("triage of #" + n + " applied or audited as dropped")
                            .atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> droppedOrSent(id), outcome -> outcome.isPresent())
                            .orElseThrow()
                            .orElse(null);
        }

        assertThat(dropped).as("an action audited as dropped").isNotNull();
        assertThat(dropped.outcome()).isEqualTo(AuditOutcome.DROPPED);
        assertThat(dropped.producedBy()).isEqualTo("triage-label@1");
        assertThat(dropped.error()).startsWith("repo_budget_zero: ");
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void anAuditOfARefusedMergeOnTheAuditTopicReachesTheRuleThatAskedForIt() throws Exception {
        send(
                Topics.CONFIG,
                REPO,
                RepoPolicy.builder(REPO)
                        .mergeQueue(
                                new MergeQueue(
                                        RepoPolicy.Mode.ON,
                                        List.of(
                                                MergeQueue.Branch.builder("main")
                                                        .requiredChecks("build")
                                                        .build())))
                        .enabledActions(
                                Set.of(ActionType.CREATE_CHECK_RUN, ActionType.MERGE_PULL_REQUEST))
                        .updatedAt(NOW)
                        .build());
        job = startJob();

        // the policy and the events travel on different topics: open ready pull requests until
        // one is merged under the policy. The green check and the approval come first, so the
        // pull request is eligible at its first snapshot: one check run and the merge, not four
        // writes in the installation's write slots
        ActionRecord merge = null;
        for (int n = 2; n < 12 && merge == null; n++) {
            PullRequestScenario pr = new PullRequestScenario();
            pr.number = n;
            pr.clock = NOW.plusSeconds(n * 10L);
            for (GitHubEvent e :
                    List.of(
                            pr.checkRun("build", "success", null),
                            pr.review("alice", "approved", n),
                            pr.pullRequest("opened"))) {
                send(Topics.EVENTS, REPO, e);
            }
            String id = "merge-eligibility@1:" + REPO + "#" + n + ":" + SHA + ":merge";
            merge = committedAction(id, Duration.ofSeconds(40)).orElse(null);
        }
        assertThat(merge).as("a merge asked for under the policy").isNotNull();
        String refusedId = merge.actionId().replace(":merge", ":merge-refused");
        assertThat(CommittedRecords.readToEnd(broker, Topics.ACTIONS, Duration.ofSeconds(30)))
                .as("no refusal is said before GitHub refuses")
                .noneMatch(r -> r.value().actionId().equals(refusedId));

        // the executor's audit: GitHub answered 405
        send(
                Topics.AUDIT,
                REPO,
                Audits.of(
                        merge,
                        AuditOutcome.FAILED,
                        Audits.openPullRequest(SHA),
                        405,
                        Audits.mergeRefused(merge, 405),
                        Instant.now()));

        ActionRecord refused =
                committedAction(refusedId, Duration.ofSeconds(60))
                        .orElseThrow(() -> new AssertionError("no " + refusedId + " in 60 s"));
        assertThat(refused.type()).isEqualTo(ActionType.CREATE_CHECK_RUN);
        assertThat(refused.params().path("title").asText())
                .isEqualTo("Merge refused: not mergeable");
        assertThat(refused.params().path("summary").asText()).contains("GitHub answered 405");
    }

    /**
     * The committed action {@code actionId}, once it is on the topic; empty after {@code within}.
     */
    private Optional<ActionRecord> committedAction(String actionId, Duration within) {
        try {
            return Awaitility.await(actionId + " on the actions topic")
                    .atMost(within)
                    .pollInterval(Duration.ofMillis(250))
                    .until(
                            () ->
                                    CommittedRecords.readToEnd(
                                                    broker, Topics.ACTIONS, Duration.ofSeconds(30))
                                            .stream()
                                            .map(ConsumerRecord::value)
                                            .filter(a -> a.actionId().equals(actionId))
                                            .findFirst(),
                            Optional::isPresent);
        } catch (ConditionTimeoutException notThere) {
            return Optional.empty();
        }
    }

    /**
     * Empty while {@code actionId} is on neither topic; else the audit record of its drop, or an
     * empty optional inside when it was sent as an action.
     */
    private Optional<Optional<AuditRecord>> droppedOrSent(String actionId) {
        Optional<AuditRecord> audited =
                CommittedRecords.readToEnd(broker, Topics.AUDIT, Duration.ofSeconds(30)).stream()
                        .map(ConsumerRecord::value)
                        .filter(a -> a.actionId().equals(actionId))
                        .findFirst();
        if (audited.isPresent()) {
            return Optional.of(audited);
        }
        boolean sent =
                CommittedRecords.readToEnd(broker, Topics.ACTIONS, Duration.ofSeconds(30)).stream()
                        .anyMatch(r -> r.value().actionId().equals(actionId));
        return sent ? Optional.of(Optional.empty()) : Optional.empty();
    }

    private static GitHubEvent opened(int number) {
        return Events.issue("opened", REPO, number, List.of(), NOW);
    }

    /** {@code event}'s JSON with {@code "note": "<raw>"} added to its payload, byte for byte. */
    private static byte[] withNote(GitHubEvent event, byte[] raw) {
        byte[] json = Topics.EVENTS.valueCodec().encode(event);
        String text = new String(json, UTF_8);
        int at = text.indexOf("\"payload\":{") + "\"payload\":{".length();
        byte[] head = ("\"note\":\"").getBytes(UTF_8);
        byte[] tail = "\",".getBytes(UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(json, 0, at);
        out.writeBytes(head);
        out.writeBytes(raw);
        out.writeBytes(tail);
        out.write(json, at, json.length - at);
        return out.toByteArray();
    }

    private void commitGroupOffsetsAtTheEnd(Topic<String, ?> topic) {
        String group = JobConfig.defaults(broker.bootstrapServers()).groupId() + "." + topic.name();
        Map<String, Object> props = broker.consumerProps(group);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic.name()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> end =
                    new java.util.HashMap<>();
            consumer.endOffsets(partitions)
                    .forEach(
                            (tp, o) ->
                                    end.put(
                                            tp,
                                            new org.apache.kafka.clients.consumer.OffsetAndMetadata(
                                                    o)));
            assertThat(end.values().stream().mapToLong(o -> o.offset()).sum())
                    .as("the policy is on the topic")
                    .isPositive();
            consumer.commitSync(end);
        }
    }

    private KafkaConsumer<String, String> actionsReader() {
        Map<String, Object> props = broker.consumerProps("e2e-reader");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions =
                consumer.partitionsFor(Topics.ACTIONS.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private JobClient startJob() throws Exception {
        return startJob(JobConfig.DEFAULT_MAX_OUT_OF_ORDERNESS, JobConfig.DEFAULT_SOURCE_IDLENESS);
    }

    private JobClient startJob(Duration outOfOrderness, Duration idleness) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        RepostreamJob.localConfiguration(checkpoints, Duration.ofMillis(500)));
        env.setParallelism(2);
        JobConfig config =
                JobConfig.defaults(broker.bootstrapServers())
                        .withTransactionalIdPrefix("e2e-" + System.nanoTime())
                        .withEventTime(outOfOrderness, idleness);
        RepostreamJob.fromKafka(config).build(env);
        return env.executeAsync("repostream-e2e");
    }

    private <V> void send(Topic<String, V> topic, String key, V value) throws Exception {
        String json = new String(topic.valueCodec().encode(value), StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic.name(), key, json)).get();
    }
}

package io.repostream.localstack.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.JobConfig;
import io.repostream.flink.rules.sla.SlaDeadlineFunction;
import io.repostream.localstack.LocalStack;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.json.Json;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.github.TimedMutation;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * End-to-end latency of the local stack with its defaults: signed {@code issues.opened} webhooks
 * posted to the bridge at a mean rate (open loop, Poisson arrivals), through Kafka, the Flink job (MiniCluster,
 * RocksDB, exactly-once sink, {@link JobConfig#DEFAULT_CHECKPOINT_INTERVAL}) and the executor, to
 * the label the triage rule puts on the GitHub simulator. Measures POST → mutation (the simulator's
 * {@link GitHubSimulator#timedMutations()}) and the JVM's CPU per event. Loopback only; every loop
 * is bounded in count and time.
 */
public final class LatencyBench {
    private static final String TRIAGE = ":+label:" + RepoPolicy.DEFAULT_TRIAGE_LABEL;
    private static final String BREACH = ":+label:" + SlaDeadlineFunction.RESPONSE_BREACHED_LABEL;
    private static final String P0_LABEL = "priority/critical";
    private static final int MAX_EVENTS = 20_000;
    private static final double MAX_RATE = 1_000;

    private static final String HELP =
            """
            Usage: run.sh [options]   (LatencyBench)
              --scenario single|many|burst   default single
                 single: one installation (the local stack's token), --rate events/s
                 many:   the executor as a GitHub App, --installations installations of one repo
                         each, --rate events/s in total, spread round-robin
                 burst:  one installation, --events posted at once, --breaches of them P0 issues
                         whose first-response SLA (--sla-seconds) falls due while the burst drains
              --rate R            mean events/s, Poisson arrivals (single default 0.5, many 50;
                                  at most 1000)
              --seed N            of the arrival times (default 1)
              --events N          events measured (single 60, many 1500, burst 200; at most 20000)
              --installations N   many: installations (default 100)
              --breaches N        burst: P0 issues among the events (default 10)
              --sla-seconds S     burst: P0 first-response target (default 20)
              --warmup N          events applied before the measured ones (default 10)
              --max-seconds T     give up waiting for mutations T s after the last POST (default 300)
              --checkpoint-interval D  the Flink job's, ISO-8601 (default PT2S, the local stack's)
              --help
            """;

    private record Posted(String key, String deliveryId, Instant postedAt, int status) {}

    private final Map<String, String> options;
    private final String scenario;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)
                    ManagementFactory.getOperatingSystemMXBean();
    private LocalStack stack;
    private String template;

    private LatencyBench(Map<String, String> options) {
        this.options = options;
        this.scenario = options.getOrDefault("scenario", "single");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.print(HELP);
                return;
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.print("unknown or incomplete option: " + args[i] + "\n" + HELP);
                System.exit(2);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        new LatencyBench(options).run();
        System.exit(0); // the stack's non-daemon threads are closed, but do not wait on stragglers
    }

    private int intOption(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, String.valueOf(fallback)));
    }

    private double rateOption(double fallback) {
        return Double.parseDouble(options.getOrDefault("rate", String.valueOf(fallback)));
    }

    private void run() throws Exception {
        if (!List.of("single", "many", "burst").contains(scenario)) {
            throw new IllegalArgumentException("unknown scenario " + scenario + "\n" + HELP);
        }
        Path dir = Files.createTempDirectory("repostream-latency-");
        template = WebhookExamples.first("issues", "opened").json();
        log("load average %s; starting the local stack (%s) in %s", loadAverage(), scenario, dir);
        Duration interval =
                options.containsKey("checkpoint-interval")
                        ? Duration.parse(options.get("checkpoint-interval"))
                        : JobConfig.DEFAULT_CHECKPOINT_INTERVAL;
        stack = LocalStack.start(dir, scenario.equals("many"), interval);
        try {
            log(
                    "stack up; checkpoint interval %s (default %s)",
                    interval,
                    JobConfig.DEFAULT_CHECKPOINT_INTERVAL);
            warmUp();
            switch (scenario) {
                case "single" -> steady(List.of(new Target("bench/single", 0)), rateOption(0.5));
                case "many" -> many();
                default -> burst();
            }
        } finally {
            stack.close();
        }
    }

    /** A repository and the installation that owns it (0: the local stack's one token). */
    private record Target(String repo, long installation) {}

    private void warmUp() throws Exception {
        int n = intOption("warmup", 10);
        if (n <= 0) {
            return;
        }
        stack.github().createRepo("bench/warm-up");
        Target warm = new Target("bench/warm-up", installationFor("bench/warm-up", 1));
        List<Posted> posted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int number = stack.github().createIssue(warm.repo(), "warm-up " + i, "", "octocat");
            posted.add(post(warm, number, List.of()).join());
            sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500));
        }
        Map<String, Instant> applied = await(keys(posted, TRIAGE), Duration.ofSeconds(180));
        log("warm-up: %d of %d applied", applied.size(), n);
        stack.github().clearMutations();
    }

    private long installationFor(String repo, int index) {
        if (!scenario.equals("many")) {
            return 0;
        }
        long id = 10_000L + index;
        stack.github().installApp(LocalStack.GITHUB_APP_ID, id, repo);
        return id;
    }

    private void many() throws Exception {
        int installations = intOption("installations", 100);
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < installations; i++) {
            String repo = "bench-" + i + "/repo";
            stack.github().createRepo(repo);
            targets.add(new Target(repo, installationFor(repo, 100 + i)));
        }
        steady(targets, rateOption(50));
    }

    /** Open loop: each event is posted when due, whatever came before. */
    private void steady(List<Target> targets, double rate) throws Exception {
        int events = Math.min(intOption("events", scenario.equals("many") ? 1500 : 60), MAX_EVENTS);
        if (rate <= 0 || rate > MAX_RATE) {
            throw new IllegalArgumentException("--rate must be in (0, " + MAX_RATE + "]");
        }
        if (scenario.equals("single")) {
            stack.github().createRepo(targets.get(0).repo());
        }
        int[] numbers = new int[events];
        for (int i = 0; i < events; i++) {
            Target t = targets.get(i % targets.size());
            numbers[i] = stack.github().createIssue(t.repo(), "bench " + i, "", "octocat");
        }
        String loadBefore = loadAverage();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        List<CompletableFuture<Posted>> futures = new ArrayList<>(events);
        // Poisson arrivals: a fixed period would lock to the checkpoint interval's phase (0.5/s
        // and 2 s checkpoints put every event at the same point of the cycle)
        Random random = new Random(intOption("seed", 1));
        double due = 0;
        for (int i = 0; i < events; i++) {
            sleepUntil(wall0 + (long) (due * 1e9));
            futures.add(post(targets.get(i % targets.size()), numbers[i], List.of()));
            due += -Math.log(1 - random.nextDouble()) / rate;
        }
        List<Posted> posted = futures.stream().map(CompletableFuture::join).toList();
        Map<String, Instant> applied = await(keys(posted, TRIAGE), maxWait());
        long cpu = os.getProcessCpuTime() - cpu0;
        double seconds = (System.nanoTime() - wall0) / 1e9;
        double idleCpuPerSecond = idleCpu();
        report(
                String.format(
                        Locale.ROOT,
                        "%s: %d events at %.2f/s over %d installation(s)",
                        scenario,
                        events,
                        rate,
                        targets.size()),
                posted,
                applied,
                TRIAGE,
                cpu,
                seconds,
                idleCpuPerSecond,
                loadBefore);
        hops(scenario, posted, applied, Map.of());
        slots(applied);
    }

    private void burst() throws Exception {
        int events = Math.min(intOption("events", 200), MAX_EVENTS);
        int breaches = intOption("breaches", 10);
        Duration sla = Duration.ofSeconds(intOption("sla-seconds", 20));
        Target target = new Target("bench/burst", 0);
        stack.github().createRepo(target.repo());
        publishPolicy(target.repo(), sla);
        int every = Math.max(1, events / Math.max(1, breaches));
        boolean[] p0 = new boolean[events];
        int[] numbers = new int[events];
        int p0Count = 0;
        for (int i = 0; i < events; i++) {
            p0[i] = p0Count < breaches && i % every == every / 2;
            if (p0[i]) {
                p0Count++;
            }
            numbers[i] =
                    p0[i]
                            ? stack.github()
                                    .createIssue(target.repo(), "P0 " + i, "", "octocat", P0_LABEL)
                            : stack.github().createIssue(target.repo(), "bench " + i, "", "octocat");
        }
        // the job reads the policy from its compacted topic; give it time before the burst
        sleepUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        String loadBefore = loadAverage();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        List<CompletableFuture<Posted>> futures = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            futures.add(post(target, numbers[i], p0[i] ? List.of(P0_LABEL) : List.of()));
        }
        List<Posted> all = futures.stream().map(CompletableFuture::join).toList();
        List<Posted> triage = new ArrayList<>();
        List<Posted> breached = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            (p0[i] ? breached : triage).add(all.get(i));
        }
        Map<String, String> expected = new LinkedHashMap<>(keys(triage, TRIAGE));
        expected.putAll(keys(breached, BREACH));
        Map<String, Instant> applied = await(expected, maxWait());
        long cpu = os.getProcessCpuTime() - cpu0;
        double seconds = (System.nanoTime() - wall0) / 1e9;
        double idleCpuPerSecond = idleCpu();
        report(
                "burst: " + triage.size() + " triage labels, POST → label",
                triage,
                applied,
                TRIAGE,
                cpu,
                seconds,
                idleCpuPerSecond,
                loadBefore);
        // a breach is due at the issue's created_at (the POST's second) + the SLA target
        List<Double> dueToApplied = new ArrayList<>();
        for (Posted p : breached) {
            Instant at = applied.get(p.key() + BREACH);
            if (at != null) {
                Instant due = p.postedAt().truncatedTo(ChronoUnit.SECONDS).plus(sla);
                dueToApplied.add(Duration.between(due, at).toMillis() / 1000.0);
            }
        }
        log(
                "burst: %d SLA breaches (P0 first response %s), due → label applied: %d of %d"
                        + " applied; %s; burst drained (last triage label) %.1f s after the"
                        + " first POST",
                breached.size(),
                sla,
                dueToApplied.size(),
                breached.size(),
                percentiles(dueToApplied),
                lastApplied(triage, applied, TRIAGE, all.get(0).postedAt()));
        slots(applied);
        Map<String, Instant> dueOf = new HashMap<>();
        for (Posted p : breached) {
            dueOf.put(p.key() + BREACH, p.postedAt().truncatedTo(ChronoUnit.SECONDS).plus(sla));
        }
        hops("burst", all, applied, dueOf);
    }

    /**
     * Where the time went, hop by hop, from what the topics recorded: every topic keeps its
     * records' write time (LOG_APPEND_TIME), so a delivery's event on {@code github.events.v1}
     * says when the bridge wrote it, and the label action it caused ({@code caused_by}) on {@code
     * github.actions.v1} when the job's sink wrote it. The sink writes in a transaction that
     * commits with the next checkpoint, so "action written → applied" holds the wait for that
     * commit, the send slot and the executor. For SLA breaches ({@code dueOf}) the job's hop
     * starts at the deadline, not at the event: "due → action written" is how late the job
     * settled the deadline (ingest lag, watermark or timer), the figure the bench could not show
     * before.
     */
    private void hops(
            String title, List<Posted> posted, Map<String, Instant> applied, Map<String, Instant> dueOf) {
        Map<String, Instant> eventWritten = new HashMap<>();
        Map<String, String> deliveries = new HashMap<>();
        for (Posted p : posted) {
            deliveries.put(p.deliveryId(), p.key());
        }
        // label mutation (repo#n:+label:x) → when the job wrote the action that asked for it
        Map<String, Instant> actionWritten = new HashMap<>();
        Map<String, Object> props = stack.kafka().consumerProps("bench-hops-" + UUID.randomUUID());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.EVENTS.name(), Topics.ACTIONS.name()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int empty = 0;
            while (System.nanoTime() < deadline && empty < 5) {
                var records = consumer.poll(Duration.ofMillis(500));
                empty = records.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<String, byte[]> r : records) {
                    Instant at = Instant.ofEpochMilli(r.timestamp());
                    if (r.topic().equals(Topics.EVENTS.name())) {
                        var event =
                                Topics.EVENTS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                        if (deliveries.containsKey(event.eventId())) {
                            eventWritten.putIfAbsent(event.eventId(), at);
                        }
                        continue;
                    }
                    ActionRecord a =
                            Topics.ACTIONS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (a.type() != ActionType.ADD_LABELS || a.dryRun()) {
                        continue;
                    }
                    boolean breach = a.producedBy().startsWith("sla-monitor@");
                    actionWritten.putIfAbsent(
                            a.repo() + "#" + a.target() + (breach ? BREACH : TRIAGE), at);
                }
            }
        }
        List<Double> bridge = new ArrayList<>();
        List<Double> job = new ArrayList<>();
        List<Double> commitAndExecutor = new ArrayList<>();
        List<Double> dueToWritten = new ArrayList<>();
        List<Double> breachWrittenToApplied = new ArrayList<>();
        for (Posted p : posted) {
            Instant written = eventWritten.get(p.deliveryId());
            if (written != null) {
                bridge.add(seconds(p.postedAt(), written));
            }
            String triage = p.key() + TRIAGE;
            Instant actionAt = actionWritten.get(triage);
            if (written != null && actionAt != null) {
                job.add(seconds(written, actionAt));
            }
            if (actionAt != null && applied.containsKey(triage)) {
                commitAndExecutor.add(seconds(actionAt, applied.get(triage)));
            }
            String breach = p.key() + BREACH;
            Instant breachAt = actionWritten.get(breach);
            if (dueOf.containsKey(breach) && breachAt != null) {
                dueToWritten.add(seconds(dueOf.get(breach), breachAt));
                if (applied.containsKey(breach)) {
                    breachWrittenToApplied.add(seconds(breachAt, applied.get(breach)));
                }
            }
        }
        log(
                "%s: hops (s) from the topics' write times:%n  POST → event written (bridge): %s%n"
                        + "  event written → triage action written (job): %s%n  action written →"
                        + " label applied (checkpoint commit, send slot, executor): %s",
                title,
                percentiles(bridge),
                percentiles(job),
                percentiles(commitAndExecutor));
        if (!dueOf.isEmpty()) {
            log(
                    "%s: SLA breaches: due → breach action written (how late the job settled the"
                            + " deadline): %s; breach action written → label applied: %s",
                    title,
                    percentiles(dueToWritten),
                    percentiles(breachWrittenToApplied));
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    /**
     * What the installation governor did with the burst's actions, read back from {@code
     * github.actions.v1}: each label's send slot ({@code not_before}) and when the job released it
     * (the record's Kafka timestamp, its write time), against when the simulator applied it. Says
     * whether the executor kept the slots (never before, and how late) and their order.
     */
    private void slots(Map<String, Instant> applied) {
        record Slot(String mutation, boolean breach, Instant released, Instant slot) {}
        List<Slot> slots = new ArrayList<>();
        Map<String, Object> props = stack.kafka().consumerProps("bench-slots-" + UUID.randomUUID());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.ACTIONS.name()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            int empty = 0;
            while (System.nanoTime() < deadline && empty < 5) {
                var records = consumer.poll(Duration.ofMillis(500));
                empty = records.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<String, byte[]> r : records) {
                    ActionRecord a =
                            Topics.ACTIONS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (a.type() != ActionType.ADD_LABELS || a.notBefore() == null) {
                        continue;
                    }
                    boolean breach = a.producedBy().startsWith("sla-monitor@");
                    String mutation = a.repo() + "#" + a.target() + (breach ? BREACH : TRIAGE);
                    if (applied.containsKey(mutation)) {
                        slots.add(
                                new Slot(
                                        mutation,
                                        breach,
                                        Instant.ofEpochMilli(r.timestamp()),
                                        a.notBefore()));
                    }
                }
            }
        }
        List<Double> lateBreach = new ArrayList<>();
        List<Double> lateTriage = new ArrayList<>();
        List<Double> aheadBreach = new ArrayList<>();
        List<Double> aheadTriage = new ArrayList<>();
        int early = 0;
        for (Slot s : slots) {
            double late = Duration.between(s.slot(), applied.get(s.mutation())).toMillis() / 1000.0;
            early += late < 0 ? 1 : 0;
            (s.breach() ? lateBreach : lateTriage).add(late);
            (s.breach() ? aheadBreach : aheadTriage)
                    .add(Duration.between(s.released(), s.slot()).toMillis() / 1000.0);
        }
        // the order GitHub saw against the order of the slots
        List<Slot> bySlot = new ArrayList<>(slots);
        bySlot.sort(java.util.Comparator.comparing(Slot::slot));
        int outOfOrder = 0;
        for (int i = 1; i < bySlot.size(); i++) {
            if (applied.get(bySlot.get(i).mutation())
                    .isBefore(applied.get(bySlot.get(i - 1).mutation()))) {
                outOfOrder++;
            }
        }
        log(
                "%s: slots of %d labels read back from %s: applied before their slot: %d;"
                        + " applied in another order than their slots: %d pairs; slot → applied"
                        + " (s): triage %s; breaches %s; labels released → slot (s): breaches %s;"
                        + " triage %s",
                scenario,
                slots.size(),
                Topics.ACTIONS.name(),
                early,
                outOfOrder,
                percentiles(lateTriage),
                percentiles(lateBreach),
                percentiles(aheadBreach),
                percentiles(aheadTriage));
    }

    private double lastApplied(
            List<Posted> posted, Map<String, Instant> applied, String change, Instant from) {
        return posted.stream()
                .map(p -> applied.get(p.key() + change))
                .filter(java.util.Objects::nonNull)
                .mapToDouble(at -> Duration.between(from, at).toMillis() / 1000.0)
                .max()
                .orElse(Double.NaN);
    }

    private void publishPolicy(String repo, Duration p0Response) throws Exception {
        Map<String, RepoPolicy.SlaTarget> targets = new LinkedHashMap<>();
        targets.put("P0", new RepoPolicy.SlaTarget(p0Response, Duration.ofHours(4)));
        targets.put("P1", new RepoPolicy.SlaTarget(Duration.ofMinutes(30), Duration.ofHours(24)));
        targets.put("P2", new RepoPolicy.SlaTarget(Duration.ofHours(2), Duration.ofDays(5)));
        targets.put("P3", new RepoPolicy.SlaTarget(Duration.ofHours(24), Duration.ofDays(30)));
        RepoPolicy policy =
                RepoPolicy.builder(repo)
                        .sla(RepoPolicy.Sla.builder().targets(targets).build())
                        .updatedAt(Instant.now())
                        .build();
        Map<String, Object> props = new HashMap<>(stack.kafka().producerProps());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        props,
                        new StringSerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            byte[] value =
                    Topics.CONFIG.valueSerde().serializer().serialize(Topics.CONFIG.name(), policy);
            producer.send(new ProducerRecord<>(Topics.CONFIG.name(), repo, value)).get();
        }
        log("policy for %s: P0 first response %s", repo, p0Response);
    }

    private Duration maxWait() {
        return Duration.ofSeconds(intOption("max-seconds", 300));
    }

    /** {@code owner/repo#n} + change → delivery id, for the mutations the deliveries should cause. */
    private static Map<String, String> keys(List<Posted> posted, String change) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (Posted p : posted) {
            keys.put(p.key() + change, p.deliveryId());
        }
        return keys;
    }

    /** Polls the simulator's mutation log until every expected mutation is there, or the time is up. */
    private Map<String, Instant> await(Map<String, String> expected, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        Map<String, Instant> seen = new HashMap<>();
        while (true) {
            for (TimedMutation m : stack.github().timedMutations()) {
                if (expected.containsKey(m.mutation())) {
                    seen.putIfAbsent(m.mutation(), m.appliedAt());
                }
            }
            if (seen.size() >= expected.size() || System.nanoTime() > deadline) {
                return seen;
            }
            sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private CompletableFuture<Posted> post(Target target, int number, List<String> labels) {
        String deliveryId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        byte[] body = payload(target, number, labels, now);
        WebhookDelivery delivery =
                WebhookDelivery.builder()
                        .event("issues")
                        .deliveryId(deliveryId)
                        .body(body)
                        .secret(stack.webhookSecret())
                        .build();
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(stack.webhookUrl()))
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        delivery.headers()
                .forEach(
                        (name, value) -> {
                            if (!name.equalsIgnoreCase("content-length")
                                    && !name.equalsIgnoreCase("host")) {
                                request.header(name, value);
                            }
                        });
        String key = target.repo() + "#" + number;
        Instant postedAt = Instant.now();
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                .handle(
                        (response, error) ->
                                new Posted(
                                        key,
                                        deliveryId,
                                        postedAt,
                                        response == null ? -1 : response.statusCode()));
    }

    /** The real {@code issues.opened} example, moved to this repo, issue and time, labels set. */
    private byte[] payload(Target target, int number, List<String> labels, Instant now) {
        try {
            ObjectNode payload = (ObjectNode) Json.mapper().readTree(template);
            String owner = target.repo().substring(0, target.repo().indexOf('/'));
            String name = target.repo().substring(target.repo().indexOf('/') + 1);
            ObjectNode repository = (ObjectNode) payload.get("repository");
            repository.put("full_name", target.repo());
            repository.put("name", name);
            ((ObjectNode) repository.get("owner")).put("login", owner);
            ObjectNode issue = (ObjectNode) payload.get("issue");
            var labelArray = issue.putArray("labels");
            for (String label : labels) {
                labelArray.addObject().put("name", label).put("color", "b60205");
            }
            issue.put("number", number);
            String base = "https://api.github.com/repos/" + target.repo() + "/issues/";
            issue.put("url", base + number);
            issue.put("html_url", "https://github.com/" + target.repo() + "/issues/" + number);
            String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
            issue.put("created_at", time);
            issue.put("updated_at", time);
            if (target.installation() != 0) {
                payload.putObject("installation").put("id", target.installation());
            } else {
                payload.remove("installation");
            }
            return Json.mapper().writeValueAsBytes(payload);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * CPU the idle stack burns per second (checkpoints, polls, timers), measured over the 10 s
     * after the measured phase, when the JIT compiler has done most of its work.
     */
    private double idleCpu() {
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        sleepUntil(t0 + TimeUnit.SECONDS.toNanos(10));
        return (os.getProcessCpuTime() - cpu0) / 1e6 / ((System.nanoTime() - t0) / 1e9);
    }

    private void report(
            String title,
            List<Posted> posted,
            Map<String, Instant> applied,
            String change,
            long cpuNanos,
            double seconds,
            double idleCpuMsPerSecond,
            String loadBefore) {
        List<Double> latencies = new ArrayList<>();
        long accepted = posted.stream().filter(p -> p.status() == 202).count();
        for (Posted p : posted) {
            Instant at = applied.get(p.key() + change);
            if (at != null) {
                latencies.add(Duration.between(p.postedAt(), at).toNanos() / 1e9);
            }
        }
        double cpuMs = cpuNanos / 1e6;
        log(
                "%s%n  POSTs answered 202: %d of %d; mutations applied: %d; POST → mutation (s):"
                        + " %s%n  JVM CPU: %.1f ms per event over %.1f s (%.0f ms/s; the idle stack"
                        + " after it %.0f ms/s, i.e. %.1f ms per event above idle); load average"
                        + " before %s, after %s",
                title,
                accepted,
                posted.size(),
                latencies.size(),
                percentiles(latencies),
                cpuMs / posted.size(),
                seconds,
                cpuMs / seconds,
                idleCpuMsPerSecond,
                (cpuMs - idleCpuMsPerSecond * seconds) / posted.size(),
                loadBefore,
                loadAverage());
    }

    private static String percentiles(List<Double> values) {
        if (values.isEmpty()) {
            return "none";
        }
        List<Double> sorted = values.stream().sorted().toList();
        return String.format(
                Locale.ROOT,
                "min %.2f, p50 %.2f, p95 %.2f, p99 %.2f, max %.2f",
                sorted.get(0),
                rank(sorted, 0.50),
                rank(sorted, 0.95),
                rank(sorted, 0.99),
                sorted.get(sorted.size() - 1));
    }

    /** Nearest rank. */
    private static double rank(List<Double> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static void log(String format, Object... args) {
        System.out.println(Instant.now() + " BENCH " + String.format(Locale.ROOT, format, args));
    }
}

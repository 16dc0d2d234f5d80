import io.repostream.bridge.BridgeConfig;
import io.repostream.bridge.IngestBridge;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.fixtures.WebhookSigner;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load harness for the ingest bridge (loopback only, bounded in time and count). Posts real
 * signed octokit example payloads, each with a fresh X-GitHub-Delivery, to a bridge running in
 * this JVM on an in-process Kafka broker, and optionally to another webhook receiver (the
 * @octokit/webhooks Node middleware) with the same payloads and secret.
 *
 * <pre>
 *   java -cp CLASSPATH BridgeBench.java [--seconds 10] [--warmup 30] [--concurrency 64]
 *        [--rate 5000] [--compare http://127.0.0.1:PORT/webhooks/github]
 * </pre>
 *
 * Phase 1 (throughput): a closed loop with N requests in flight for S seconds; 202/200 count.
 * Phase 2 (latency): an open loop at R deliveries/s for S seconds; latency is measured from the
 * time each request was due, so a stalled server cannot hide its queueing (no coordinated
 * omission).
 */
public class BridgeBench {
    static final String SECRET = "bench-secret";

    record Signed(String event, Buffer body, String signature) {}

    /**
     * {@code cpuNanos}: CPU time of this whole JVM (client, bridge, broker, JIT, GC) in the phase;
     * {@code waitNanos}: time its threads were runnable but not running (Linux schedstat), i.e. CPU
     * taken by other processes or by each other.
     */
    record Result(String target, long ok, long failed, double seconds, long[] latenciesNanos, long cpuNanos,
            long waitNanos) {
        double perSecond() {
            return ok / seconds;
        }

        /** JVM CPU per answered request; for the octokit phases, only the client's share. */
        String cpuPerRequest() {
            return ok + failed == 0 ? "-" : String.format("%.0f", cpuNanos / 1e3 / (ok + failed));
        }

        /** Run-queue wait of all this JVM's threads, in ms per second of the phase. */
        String runQueueWait() {
            return waitNanos < 0 ? "-" : String.format("%.0f", waitNanos / 1e6 / seconds);
        }

        String latency() {
            if (latenciesNanos.length == 0) {
                return "-";
            }
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            return String.format(
                    "p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                    sorted[sorted.length / 2] / 1e6,
                    sorted[(int) (sorted.length * 0.99)] / 1e6,
                    sorted[sorted.length - 1] / 1e6);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "10"));
        int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "64"));
        int rate = Integer.parseInt(opts.getOrDefault("rate", "5000"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "30"));
        String compare = opts.get("compare");
        if (seconds > 120 || warmup > 120 || concurrency > 512 || rate > 50_000) {
            throw new IllegalArgumentException(
                    "bounded harness: seconds <= 120, warmup <= 120, concurrency <= 512, rate <= 50000");
        }

        List<Signed> payloads = new ArrayList<>();
        for (WebhookExample example : WebhookExamples.all()) {
            byte[] body = example.body();
            payloads.add(new Signed(example.event(), Buffer.buffer(body), WebhookSigner.sign(SECRET, body)));
        }
        System.out.printf("%d signed payloads, %d cores%n", payloads.size(), Runtime.getRuntime().availableProcessors());

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            kafka.createTopics(Topics.all());
            try (IngestBridge bridge =
                    IngestBridge.start(
                            BridgeConfig.defaults()
                                    .withKafkaBootstrapServers(kafka.bootstrapServers())
                                    .withWebhookSecret(SECRET)
                                    .withMaxInFlight(4096)
                                    .withKafkaProperties(kafkaProperties(opts.getOrDefault("kafka-properties", "")))
                                    .withDedupeWindow(java.time.Duration.parse(opts.getOrDefault("dedupe-window", "PT24H"))))) {
                URI target = URI.create("http://127.0.0.1:" + bridge.port() + "/webhooks/github");
                List<Result> results = new ArrayList<>();
                // Both servers are measured warm: in this JVM (bridge, broker, client) the JIT
                // compiler keeps a third of the CPU busy for the first 20-30 s. The bridge's
                // phases run back to back.
                results.add(closedLoop(vertx, "bridge (warm-up)", target, payloads, concurrency, warmup));
                results.add(closedLoop(vertx, "bridge throughput", target, payloads, concurrency, seconds));
                results.add(openLoop(vertx, "bridge at " + rate + "/s", target, payloads, rate, seconds));
                if (compare != null) {
                    URI other = URI.create(compare);
                    results.add(closedLoop(vertx, "octokit (warm-up)", other, payloads, concurrency, warmup));
                    results.add(closedLoop(vertx, "octokit throughput", other, payloads, concurrency, seconds));
                }
                if (opts.containsKey("metrics")) {
                    HttpClient http = client(vertx, 1);
                    String text = http.request(HttpMethod.GET, bridge.port(), "127.0.0.1", "/metrics")
                            .compose(r -> r.send()).compose(r -> r.body()).await(10, TimeUnit.SECONDS).toString();
                    text.lines().filter(l -> l.startsWith("repostream_bridge_kafka_write_seconds")).forEach(System.out::println);
                }
                System.out.println();
                System.out.println("| run | ok | failed | ok/s | latency | JVM CPU µs/request | JVM threads runnable, waiting for a CPU (ms/s) |");
                System.out.println("|---|---|---|---|---|---|---|");
                for (Result r : results) {
                    System.out.printf("| %s | %d | %d | %.0f | %s | %s | %s |%n", r.target(), r.ok(), r.failed(), r.perSecond(),
                            r.latency(), r.cpuPerRequest(), r.runQueueWait());
                }
            }
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    static HttpClient client(Vertx vertx, int connections) {
        return vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setPipelining(false),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    static Future<Integer> post(HttpClient http, URI target, Signed signed) {
        RequestOptions options =
                new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost(target.getHost())
                        .setPort(target.getPort())
                        .setURI(target.getPath())
                        .putHeader("Content-Type", "application/json")
                        .putHeader("User-Agent", "GitHub-Hookshot/bench")
                        .putHeader("X-GitHub-Event", signed.event())
                        .putHeader("X-GitHub-Delivery", UUID.randomUUID().toString())
                        .putHeader("X-Hub-Signature-256", signed.signature());
        return http.request(options)
                .compose(request -> request.send(signed.body()))
                .compose(response -> response.body().map(b -> response.statusCode()));
    }

    static Result closedLoop(Vertx vertx, String name, URI target, List<Signed> payloads, int concurrency, int seconds)
            throws Exception {
        HttpClient http = client(vertx, concurrency);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Promise<Void> done = Promise.promise();
        AtomicInteger running = new AtomicInteger(concurrency);
        long started = System.nanoTime();
        long cpuStarted = processCpuNanos();
        long waitStarted = runQueueWaitNanos();
        vertx.runOnContext(v -> {
            for (int i = 0; i < concurrency; i++) {
                loop(http, target, payloads, next, ok, failed, end, running, done);
            }
        });
        done.future().await(seconds + 60L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - started) / 1e9;
        long cpu = processCpuNanos() - cpuStarted;
        long wait = waitDelta(waitStarted);
        http.close();
        return new Result(name, ok.get(), failed.get(), elapsed, new long[0], cpu, wait);
    }

    static void loop(HttpClient http, URI target, List<Signed> payloads, AtomicInteger next, AtomicLong ok,
            AtomicLong failed, long end, AtomicInteger running, Promise<Void> done) {
        if (System.nanoTime() >= end) {
            if (running.decrementAndGet() == 0) {
                done.tryComplete();
            }
            return;
        }
        Signed signed = payloads.get(Math.floorMod(next.getAndIncrement(), payloads.size()));
        post(http, target, signed).onComplete(ar -> {
            if (ar.succeeded() && ar.result() / 100 == 2) {
                ok.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
            loop(http, target, payloads, next, ok, failed, end, running, done);
        });
    }

    static Result openLoop(Vertx vertx, String name, URI target, List<Signed> payloads, int rate, int seconds)
            throws Exception {
        HttpClient http = client(vertx, 512);
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        Promise<Void> done = Promise.promise();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        double intervalNanos = 1e9 / rate;
        long cpuStarted = processCpuNanos();
        long waitStarted = runQueueWaitNanos();
        vertx.runOnContext(v -> vertx.setPeriodic(1, timer -> {
            long now = System.nanoTime();
            while (sent.get() < total) {
                int i = sent.get();
                long due = start + (long) (i * intervalNanos);
                if (due > now) {
                    break;
                }
                sent.incrementAndGet();
                post(http, target, payloads.get(i % payloads.size())).onComplete(ar -> {
                    latencies[i] = System.nanoTime() - due;
                    if (ar.succeeded() && ar.result() / 100 == 2) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                    if (answered.incrementAndGet() == total) {
                        done.tryComplete();
                    }
                });
            }
            if (sent.get() >= total) {
                vertx.cancelTimer(timer);
            }
        }));
        done.future().await(seconds + 60L, TimeUnit.SECONDS);
        // From the first due time to the last answer: a server that falls behind shows a lower rate.
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu = processCpuNanos() - cpuStarted;
        long wait = waitDelta(waitStarted);
        http.close();
        return new Result(name, ok.get(), failed.get(), elapsed, latencies, cpu, wait);
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** {@code key=value,key=value}: producer/consumer settings of the bridge, e.g. compression.type=none. */
    static Map<String, String> kafkaProperties(String text) {
        Map<String, String> props = new java.util.TreeMap<>();
        for (String pair : text.split(",")) {
            if (!pair.isBlank()) {
                String[] kv = pair.split("=", 2);
                props.put(kv[0].trim(), kv[1].trim());
            }
        }
        if (!props.isEmpty()) {
            System.out.println("bridge kafka properties: " + props);
        }
        return props;
    }

    /** Sum over this JVM's threads of the time spent runnable but not running; -1 off Linux. */
    static long runQueueWaitNanos() {
        java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
        if (!java.nio.file.Files.isDirectory(tasks)) {
            return -1;
        }
        long sum = 0;
        try (var dirs = java.nio.file.Files.list(tasks)) {
            for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) dirs::iterator) {
                try {
                    String[] fields = java.nio.file.Files.readString(task.resolve("schedstat")).trim().split(" ");
                    sum += Long.parseLong(fields[1]);
                } catch (java.io.IOException | RuntimeException threadEnded) {
                    // a thread that ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return sum;
    }

    static long waitDelta(long started) {
        long now = runQueueWaitNanos();
        return started < 0 || now < 0 ? -1 : now - started;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return opts;
    }
}

import io.repostream.bridge.BridgeConfig;
import io.repostream.bridge.IngestBridge;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unauthenticated memory exhaustion (issue 13, item 5), loopback only and bounded: in each round,
 * {@code --attackers} connections at once each send an unsigned body of {@code --body-bytes}
 * (just under GitHub's 25 MB limit) while a legitimate signed delivery is posted every 50 ms
 * beside them. Run with a small heap (memory.sh: -Xmx192m); the JVM runs the broker, the bridge and
 * these clients. Reports the answers per kind, the legitimate deliveries' answers, the peak heap
 * used after collections, and whether an OutOfMemoryError was thrown anywhere in the JVM.
 *
 * <pre>
 *   java -Xmx192m -cp CLASSPATH MemoryBench.java [--rounds 3] [--attackers 24]
 *        [--body-bytes 26000000] [--chunked-rounds 1]
 * </pre>
 */
public class MemoryBench {
    static final String SECRET = "bench-secret";

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "3"));
        int chunkedRounds = Integer.parseInt(opts.getOrDefault("chunked-rounds", "1"));
        int attackers = Math.min(64, Integer.parseInt(opts.getOrDefault("attackers", "24")));
        long bodyBytes = Math.min(26_214_400L, Long.parseLong(opts.getOrDefault("body-bytes", "26000000")));
        AtomicInteger ooms = new AtomicInteger();
        Thread.setDefaultUncaughtExceptionHandler(
                (t, e) -> {
                    if (e instanceof OutOfMemoryError) {
                        ooms.incrementAndGet();
                    }
                    System.err.println("uncaught in " + t.getName() + ": " + e);
                });
        System.out.printf(
                "heap max %d MB; %d attackers x %,d bytes per round; %d rounds with Content-Length,"
                        + " %d chunked%n",
                Runtime.getRuntime().maxMemory() >> 20, attackers, bodyBytes, rounds, chunkedRounds);
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            kafka.createTopics(Topics.all());
            BridgeConfig config =
                    BridgeConfig.defaults()
                            .withKafkaBootstrapServers(kafka.bootstrapServers())
                            .withWebhookSecret(SECRET)
                            .withEventLoops(2);
            try (IngestBridge bridge = IngestBridge.start(config)) {
                // toString, not the accessors: the bench also runs against bridges before
                // webhook.max_buffered_bytes existed
                System.out.println("bridge: " + config);
                HeapWatch heap = new HeapWatch();
                heap.start();
                for (int r = 0; r < rounds + chunkedRounds; r++) {
                    boolean chunked = r >= rounds;
                    round(bridge.port(), attackers, bodyBytes, chunked, ooms);
                }
                heap.finish();
                System.out.printf(
                        "peak heap used (sampled every 20 ms, garbage included): %d MB of %d MB%n",
                        heap.peakSampled >> 20, Runtime.getRuntime().maxMemory() >> 20);
            }
        } catch (OutOfMemoryError e) {
            ooms.incrementAndGet();
            System.out.println("OutOfMemoryError: " + e.getMessage());
        }
        System.out.println("OutOfMemoryErrors: " + ooms.get());
        System.exit(ooms.get() == 0 ? 0 : 1);
    }

    static void round(int port, int attackers, long bodyBytes, boolean chunked, AtomicInteger ooms)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(attackers + 1);
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < attackers; i++) {
            int n = i;
            running.add(
                    pool.submit(
                            () -> {
                                String outcome = attack(port, "attack-" + n, bodyBytes, chunked);
                                answers.computeIfAbsent(outcome, k -> new AtomicInteger())
                                        .incrementAndGet();
                            }));
        }
        Map<String, AtomicInteger> legit = new ConcurrentHashMap<>();
        // legitimate deliveries beside the attack, every 50 ms for as long as it lasts (at most
        // 60 s), and at least 10
        for (int i = 0; i < 1200 && (i < 10 || !running.stream().allMatch(Future::isDone)); i++) {
            String outcome = legitimate(port);
            legit.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(50);
        }
        for (Future<?> f : running) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        System.out.printf(
                "round (%s): attackers %s; legitimate deliveries %s; %.1f s%n",
                chunked ? "chunked" : "Content-Length",
                new TreeMap<>(answers),
                new TreeMap<>(legit),
                (System.nanoTime() - started) / 1e9);
    }

    /** One unsigned body; the answer's status, or how the connection ended. */
    static String attack(int port, String id, long bodyBytes, boolean chunked) {
        byte[] block = new byte[64 * 1024];
        java.util.Arrays.fill(block, (byte) ' ');
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            String head =
                    "POST /webhooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: application/json\r\nX-GitHub-Event: issues\r\n"
                            + "X-GitHub-Delivery: "
                            + id
                            + "\r\nX-Hub-Signature-256: sha256="
                            + "0".repeat(64)
                            + "\r\n"
                            + (chunked
                                    ? "Transfer-Encoding: chunked\r\n"
                                    : "Content-Length: " + bodyBytes + "\r\n")
                            + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            try {
                for (long sent = 0; sent < bodyBytes; sent += block.length) {
                    int n = (int) Math.min(block.length, bodyBytes - sent);
                    if (chunked) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write(block, 0, n);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException refusedEarly) {
                // the bridge answered and closed before the body was sent: read its answer
            }
            return status(socket.getInputStream());
        } catch (IOException e) {
            return "connection " + e.getClass().getSimpleName();
        }
    }

    static String legitimate(int port) {
        WebhookDelivery delivery =
                WebhookDelivery.builder()
                        .example(WebhookExamples.first("issues", "opened"))
                        .secret(SECRET)
                        .build();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder("POST /webhooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            delivery.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Content-Length: ").append(delivery.body().length).append("\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(delivery.body());
            out.flush();
            return status(socket.getInputStream());
        } catch (IOException e) {
            return "connection " + e.getClass().getSimpleName();
        }
    }

    static String status(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.write(b);
        }
        String text = line.toString(StandardCharsets.US_ASCII).trim();
        if (text.isEmpty()) {
            return "closed without an answer";
        }
        String[] parts = text.split(" ");
        return parts.length > 1 ? parts[1] : text;
    }

    /** Peak heap use, sampled. */
    static final class HeapWatch extends Thread {
        volatile boolean running = true;
        volatile long peakSampled;

        HeapWatch() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                Runtime rt = Runtime.getRuntime();
                peakSampled = Math.max(peakSampled, rt.totalMemory() - rt.freeMemory());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void finish() {
            running = false;
        }
    }
}

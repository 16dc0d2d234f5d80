package io.repostream.bridge.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Whether Kafka answers right now, for {@code /readyz}. Blocking: call it off the event loop. */
public final class KafkaHealth implements AutoCloseable {
    private final Admin admin;
    private final Duration timeout;

    public KafkaHealth(String bootstrapServers, Map<String, String> extra, Duration timeout) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "repostream-ingest-bridge-health");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        this.admin = Admin.create(props);
        this.timeout = timeout;
    }

    /** Null when Kafka has a live broker, else why not. */
    public String problem() {
        try {
            int nodes =
                    admin.describeCluster(
                                    new DescribeClusterOptions()
                                            .timeoutMs((int) timeout.toMillis()))
                            .nodes()
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .size();
            return nodes > 0 ? null : "Kafka has no live broker";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return "Kafka unreachable: " + e.getClass().getSimpleName();
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}

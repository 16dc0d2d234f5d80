package io.repostream.console.system;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far each consumer group is behind on each topic, read with Kafka's admin client when the
 * System page asks: the end offset of every partition the group has committed an offset for, minus
 * that offset, summed per topic. A group that commits no offsets (the console's own indexer keeps
 * its offsets in PostgreSQL) is not listed. Blocking: call it off the event loop.
 */
public final class ConsumerLag implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLag.class);
    private static final long TIMEOUT_S = 10;

    private final Admin admin;

    /**
     * @param kafkaClient the console's Kafka client settings (bootstrap servers, security)
     */
    public ConsumerLag(Map<String, Object> kafkaClient) {
        this.admin = Admin.create(new HashMap<>(kafkaClient));
    }

    /**
     * One group on one topic.
     *
     * @param lag records on the topic the group has not committed yet
     * @param partitions partitions the group has committed an offset for
     */
    public record Row(String group, String topic, long lag, int partitions) {}

    /** Every group's lag per topic, by group then topic. */
    public List<Row> read() throws InterruptedException, ExecutionException, TimeoutException {
        List<Row> rows = new ArrayList<>();
        for (GroupListing group :
                admin.listGroups().all().get(TIMEOUT_S, TimeUnit.SECONDS).stream()
                        .sorted(Comparator.comparing(GroupListing::groupId))
                        .toList()) {
            Map<TopicPartition, OffsetAndMetadata> committed;
            try {
                committed =
                        admin.listConsumerGroupOffsets(group.groupId())
                                .partitionsToOffsetAndMetadata()
                                .get(TIMEOUT_S, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // not every kind of group has consumer offsets (a share group)
                LOG.debug("no offsets of group {}: {}", group.groupId(), e.getMessage());
                continue;
            }
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            committed.forEach(
                    (tp, offset) -> {
                        if (offset != null) {
                            ask.put(tp, OffsetSpec.latest());
                        }
                    });
            if (ask.isEmpty()) {
                continue;
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(ask).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            Map<String, long[]> perTopic = new TreeMap<>();
            ends.forEach(
                    (tp, end) -> {
                        long behind = Math.max(0, end.offset() - committed.get(tp).offset());
                        long[] sum = perTopic.computeIfAbsent(tp.topic(), t -> new long[2]);
                        sum[0] += behind;
                        sum[1]++;
                    });
            perTopic.forEach(
                    (topic, sum) ->
                            rows.add(new Row(group.groupId(), topic, sum[0], (int) sum[1])));
        }
        return rows;
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}

package io.repostream.flink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that collects into this JVM's memory (the MiniCluster runs in the test's JVM); each
 * instance has its own bucket so tests do not see each other's records.
 */
public final class CollectingSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, ConcurrentLinkedQueue<Object>> BUCKETS =
            new ConcurrentHashMap<>();

    private final String bucket = UUID.randomUUID().toString();

    public CollectingSink() {
        BUCKETS.put(bucket, new ConcurrentLinkedQueue<>());
    }

    @SuppressWarnings("unchecked")
    public List<T> collected() {
        return new ArrayList<>(
                (ConcurrentLinkedQueue<T>) (ConcurrentLinkedQueue<?>) BUCKETS.get(bucket));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        ConcurrentLinkedQueue<Object> queue = BUCKETS.get(bucket);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context context) {
                queue.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}

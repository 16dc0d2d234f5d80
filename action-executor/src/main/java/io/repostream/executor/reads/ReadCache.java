package io.repostream.executor.reads;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * GitHub's last answer to each read, with its ETag, so that the next read of the same resource is
 * conditional ({@code If-None-Match}) and a 304 reuses the answer. Least recently used answers are
 * dropped beyond {@code capacity}. Thread-safe.
 */
public final class ReadCache {
    /** What GitHub last answered for one resource. */
    public record Entry(String etag, JsonNode body) {}

    private final Map<String, Entry> entries;

    public ReadCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a read cache holds at least one answer");
        }
        this.entries =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                        return size() > capacity;
                    }
                };
    }

    public synchronized Optional<Entry> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Keeps {@code body} under {@code key}; an answer without an ETag is not worth keeping. */
    public synchronized void put(String key, String etag, JsonNode body) {
        if (etag == null || body == null) {
            entries.remove(key);
            return;
        }
        entries.put(key, new Entry(etag, body));
    }

    public synchronized int size() {
        return entries.size();
    }
}

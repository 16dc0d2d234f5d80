package io.repostream.flink;

import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.json.Json;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * A bounded source of the given records, in order, as a real {@code Source}. The records travel to
 * the task managers as their JSON (the records themselves are not Java-serializable).
 *
 * <p>At parallelism p the list is read as p contiguous, equal parts, one per reader, so order holds
 * within a part only: unlike a Kafka topic keyed by repo, one key's records may straddle two parts
 * and race. Keep each key's records inside one part, or read with one reader, where order matters.
 */
public final class FiniteSource {
    private FiniteSource() {}

    public static <T> DataGeneratorSource<T> of(Class<T> type, List<T> records) {
        if (records.isEmpty()) {
            // the generator source would still ask for record 0
            throw new IllegalArgumentException("a finite source needs at least one record");
        }
        List<String> json = new ArrayList<>();
        for (T record : records) {
            try {
                json.add(Json.mapper().writeValueAsString(record));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new DataGeneratorSource<>(
                new FromJson<>(type, json),
                json.size(),
                RateLimiterStrategy.noOp(),
                JsonTypeInfo.of(type));
    }

    private record FromJson<T>(Class<T> type, List<String> json)
            implements GeneratorFunction<Long, T> {
        @Override
        public T map(Long index) throws Exception {
            return Json.mapper().readValue(json.get(index.intValue()), type);
        }
    }
}

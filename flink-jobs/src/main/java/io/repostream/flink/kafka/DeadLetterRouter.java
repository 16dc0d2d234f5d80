package io.repostream.flink.kafka;

import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.DeadLetter;
import io.repostream.schemas.GitHubEvent;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Chained to the events source: passes events on and sends dead letters ({@link EventDeserializer})
 * to {@link #DEAD_LETTERS}, which the job writes to {@code github.events.dlq.v1}. Logging and
 * counting happened where the record was read.
 */
public final class DeadLetterRouter extends ProcessFunction<Object, GitHubEvent> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", JsonTypeInfo.of(DeadLetter.class));

    @Override
    public void processElement(Object record, Context ctx, Collector<GitHubEvent> out) {
        if (record instanceof GitHubEvent event) {
            out.collect(event);
        } else {
            ctx.output(DEAD_LETTERS, (DeadLetter) record);
        }
    }
}

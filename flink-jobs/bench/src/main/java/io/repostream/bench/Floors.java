package io.repostream.bench;

import io.repostream.flink.EventTime;
import io.repostream.flink.JobConfig;
import io.repostream.flink.RepostreamJob;
import io.repostream.flink.kafka.KafkaConnectors;
import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.GitHubEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Pipelines that do less than any useful job: what reading {@code github.events.v1} costs on this
 * machine, and what one keyed exchange with one RocksDB state access per event adds. A job whose
 * floor cannot reach a rate cannot reach it either.
 */
final class Floors {
    private Floors() {}

    static void build(StreamExecutionEnvironment env, JobConfig config, boolean keyed) {
        DataStream<GitHubEvent> events =
                RepostreamJob.readEvents(
                        env,
                        KafkaConnectors.eventSource(config),
                        Duration.ofMinutes(5),
                        Duration.ofSeconds(30));
        if (!keyed) {
            events.sinkTo(new DiscardingSink<>()).name("discard");
            return;
        }
        events.keyBy(GitHubEvent::repo)
                .process(new CountPerRepo(), Types.LONG)
                .uid("count-per-repo")
                .name("count-per-repo")
                .sinkTo(new DiscardingSink<>())
                .name("discard");
    }

    /** One state read and one write per event: the least a keyed rule does. */
    static final class CountPerRepo extends KeyedProcessFunction<String, GitHubEvent, Long> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(GitHubEvent event, Context context, Collector<Long> out)
                throws Exception {
            Long seen = count.value();
            long next = seen == null ? 1 : seen + 1;
            count.update(next);
            if (next % 1_000 == 0) {
                out.collect(next);
            }
        }
    }
}

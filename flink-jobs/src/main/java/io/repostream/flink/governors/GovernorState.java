package io.repostream.flink.governors;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;

/**
 * What both governors kept per key (repository or installation) before each had a state type of its
 * own ({@link RepoGovernorState}, {@link InstallationGovernorState}), each leaving the other's
 * fields null. Kept only to read a checkpoint or savepoint of those versions: each governor
 * declares the old state under its old name ({@link #legacyDescriptor}) and moves a key's value
 * into its own state the first time it sees the key; what it never sees again expires with the old
 * state's TTL (a day). Remove once no such savepoint is in use.
 *
 * @param sent send times reserved in the last hour (epoch ms, sorted); repo governor
 * @param content send times reserved in the last hour for content-creating actions (comments);
 *     installation governor
 * @param remaining GitHub's primary quota left, as last reported and counted down since; null until
 *     an audit record reported it; installation governor
 * @param resetAtMs when GitHub resets the primary quota (epoch ms); null when unknown
 * @param installation the installation key the repository's actions carry; repo governor
 */
public record GovernorState(
        List<Long> sent,
        List<Long> content,
        Integer remaining,
        Long resetAtMs,
        String installation) {
    public GovernorState {
        sent = sent == null ? List.of() : List.copyOf(sent);
        content = content == null ? List.of() : List.copyOf(content);
    }

    static GovernorState empty() {
        return new GovernorState(List.of(), List.of(), null, null, null);
    }

    /**
     * The state as earlier versions declared it: {@code name}, this serializer (which also reads
     * the JSON of versions before it), a TTL of a day.
     */
    static ValueStateDescriptor<GovernorState> legacyDescriptor(String name) {
        ValueStateDescriptor<GovernorState> descriptor =
                new ValueStateDescriptor<>(name, GovernorStateSerializer.INSTANCE);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
        return descriptor;
    }
}

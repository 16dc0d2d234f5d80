package io.repostream.flink.functions;

import java.util.List;

/**
 * What the {@link ActionRateGovernor} remembers per repository.
 *
 * @param sent send times reserved in the last hour (epoch ms, sorted), all action types
 * @param content send times reserved in the last hour for content-creating actions (comments)
 * @param remaining GitHub's primary quota left, as last reported and counted down since; null until
 *     an audit record reported it
 * @param resetAtMs when GitHub resets the primary quota (epoch ms); null when unknown
 */
public record GovernorState(
        List<Long> sent, List<Long> content, Integer remaining, Long resetAtMs) {
    public GovernorState {
        sent = sent == null ? List.of() : List.copyOf(sent);
        content = content == null ? List.of() : List.copyOf(content);
    }

    static GovernorState empty() {
        return new GovernorState(List.of(), List.of(), null, null);
    }
}

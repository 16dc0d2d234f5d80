package io.repostream.flink.functions;

import java.util.List;

/**
 * What a governor remembers per key (repository or installation).
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
}

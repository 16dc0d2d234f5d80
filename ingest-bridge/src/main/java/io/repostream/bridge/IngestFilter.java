package io.repostream.bridge;

import io.repostream.schemas.GitHubEvent;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which authenticated events the bridge writes. Dropped events are answered 200 and counted in
 * {@code bridge_filtered_total}, never silently lost.
 *
 * @param owners only events of these organisations or users (by repo owner or org); empty = all
 * @param ignoredEvents event types not written at all (e.g. {@code watch})
 */
public record IngestFilter(Set<String> owners, Set<String> ignoredEvents) {

    public IngestFilter {
        owners = lower(owners);
        ignoredEvents = lower(ignoredEvents);
    }

    public static IngestFilter acceptAll() {
        return new IngestFilter(Set.of(), Set.of());
    }

    /**
     * Why {@code event} is dropped, or empty when it is written. Events without an owner (e.g. an
     * app-level {@code ping}) pass an owner filter: they concern the app, not a repository.
     */
    public Optional<String> dropReason(GitHubEvent event) {
        if (ignoredEvents.contains(event.type())) {
            return Optional.of("event_ignored");
        }
        if (owners.isEmpty()) {
            return Optional.empty();
        }
        String owner = event.org();
        if (event.repo() != null) {
            owner = event.repo().substring(0, event.repo().indexOf('/'));
        }
        if (owner == null || owners.contains(owner)) {
            return Optional.empty();
        }
        return Optional.of("owner_not_allowed");
    }

    private static Set<String> lower(Set<String> names) {
        if (names == null) {
            return Set.of();
        }
        return names.stream()
                .map(n -> n.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }
}

package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a {@link GitHubEvent} came from. Readers must tolerate values added later (v1 topics change
 * additively only).
 */
public enum EventSource implements WireEnum {
    /** A webhook delivery, as GitHub sent it. */
    WEBHOOK("webhook"),
    /** Read by the bridge's poller from a repository's event feed. */
    POLL("poll"),
    /**
     * Written by the executor: the result of a read a rule requested (a read action, {@link
     * ActionType#read()}); the payload says which rule asked and the read action's id.
     */
    ENRICHMENT("enrichment"),
    /** History read after the fact (a repository added late, a gap filled); none written yet. */
    BACKFILL("backfill");

    private final String wire;

    EventSource(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wireName() {
        return wire;
    }

    @JsonCreator
    public static EventSource of(String wire) {
        return WireEnum.parse(EventSource.class, wire);
    }
}

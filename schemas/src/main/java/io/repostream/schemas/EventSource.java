package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where a {@link GitHubEvent} came from. */
public enum EventSource implements WireEnum {
    WEBHOOK("webhook"),
    POLL("poll");

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

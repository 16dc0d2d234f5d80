package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How likely a CI run is to fail, bucketed by policy thresholds. */
public enum RiskLevel implements WireEnum {
    LOW("LOW"),
    MEDIUM("MEDIUM"),
    HIGH("HIGH"),
    CRITICAL("CRITICAL"),
    /** No model was available, so nothing was guessed. */
    UNKNOWN("UNKNOWN");

    private final String wire;

    RiskLevel(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wireName() {
        return wire;
    }

    @JsonCreator
    public static RiskLevel of(String wire) {
        return WireEnum.parse(RiskLevel.class, wire);
    }
}

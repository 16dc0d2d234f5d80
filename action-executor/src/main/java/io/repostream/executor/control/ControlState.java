package io.repostream.executor.control;

import io.repostream.schemas.ExecutorControl;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the kill switch is on for this executor: on when {@code github.control.v1}'s latest
 * record says so (every executor follows that record) or when this process was started with {@code
 * --kill-switch}; and which rules' kill switches are on (the latest record of each rule's key).
 * Thread-safe.
 */
public final class ControlState {
    private final boolean startedOn;
    private final AtomicReference<ExecutorControl> latest = new AtomicReference<>();
    private long offset = -1;
    private final Map<String, ExecutorControl> rules = new ConcurrentHashMap<>();
    private final Map<String, Long> ruleOffsets = new HashMap<>();

    /**
     * @param startedOn {@code --kill-switch}: on for this process whatever the topic says
     */
    public ControlState(boolean startedOn) {
        this.startedOn = startedOn;
    }

    public ControlState() {
        this(false);
    }

    /**
     * The record at {@code offset} of the control topic (null for a tombstone). An older record
     * than one already seen changes nothing: the executor that wrote a record knows it before its
     * tail reads it back, and must not flip back to the one before meanwhile.
     *
     * @return whether it was newer
     */
    public synchronized boolean update(ExecutorControl control, long offset) {
        if (offset <= this.offset) {
            return false;
        }
        this.offset = offset;
        latest.set(control);
        return true;
    }

    /**
     * The record at {@code offset} for the kill switch of {@code rule} (null for a tombstone); an
     * older record than one already seen for the rule changes nothing.
     *
     * @return whether it was newer
     */
    public synchronized boolean updateRule(String rule, ExecutorControl control, long offset) {
        if (offset <= ruleOffsets.getOrDefault(rule, -1L)) {
            return false;
        }
        ruleOffsets.put(rule, offset);
        if (control == null) {
            rules.remove(rule);
        } else {
            rules.put(rule, control);
        }
        return true;
    }

    /** Whether the kill switch of {@code rule} (a producer: produced_by without version) is on. */
    public boolean ruleKilled(String rule) {
        ExecutorControl control = rules.get(rule);
        return control != null && control.killSwitch();
    }

    /** The latest record of {@code rule}'s kill switch, if any. */
    public Optional<ExecutorControl> rule(String rule) {
        return Optional.ofNullable(rules.get(rule));
    }

    /** The latest record of every rule's kill switch, by rule. */
    public Map<String, ExecutorControl> rules() {
        return new TreeMap<>(rules);
    }

    public boolean killSwitchOn() {
        ExecutorControl control = latest.get();
        return startedOn || (control != null && control.killSwitch());
    }

    /** The latest record of the control topic, if any. */
    public Optional<ExecutorControl> latest() {
        return Optional.ofNullable(latest.get());
    }

    /** Whether the switch is on because of {@code --kill-switch} (the topic cannot turn it off). */
    public boolean startedOn() {
        return startedOn;
    }
}

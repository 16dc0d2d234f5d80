package io.repostream.executor.control;

import io.repostream.schemas.ExecutorControl;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the kill switch is on for this executor: on when {@code github.control.v1}'s latest
 * record says so (every executor follows that record) or when this process was started with {@code
 * --kill-switch}. Thread-safe.
 */
public final class ControlState {
    private final boolean startedOn;
    private final AtomicReference<ExecutorControl> latest = new AtomicReference<>();
    private long offset = -1;

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

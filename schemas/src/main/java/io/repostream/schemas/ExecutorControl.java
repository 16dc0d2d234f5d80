package io.repostream.schemas;

import java.time.Instant;

/**
 * Switches that hold for every action executor at once, on {@code github.control.v1} (compacted,
 * key {@value #KEY}): each replica follows the latest record, and a restarted one starts from it.
 *
 * @param killSwitch when on, every action is skipped (and audited as such) instead of applied
 * @param reason why it was turned on or off, for the audit records and the people reading them
 * @param setBy who turned it (the admin API's caller, the CLI's user)
 * @param at when
 */
public record ExecutorControl(boolean killSwitch, String reason, String setBy, Instant at) {
    /** The record's key on the control topic. */
    public static final String KEY = "executor";

    public ExecutorControl {
        Require.text(setBy, "set_by");
        Require.present(at, "at");
        reason = reason == null || reason.isBlank() ? null : reason;
    }
}

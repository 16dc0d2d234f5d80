package io.repostream.schemas;

import java.time.Instant;

/**
 * Switches that hold for every action executor at once, on {@code github.control.v1} (compacted):
 * each replica follows the latest record of each key, and a restarted one starts from them. Key
 * {@value #KEY} is the global kill switch; key {@code rule:<producer>} ({@link #ruleKey}) the kill
 * switch of one rule, whose actions are those with {@code produced_by} {@code <producer>@<any
 * version>} (executors older than rule switches ignore those keys).
 *
 * @param killSwitch when on, every action (of the rule, for a rule's key) is skipped (and audited
 *     as such) instead of applied
 * @param reason why it was turned on or off, for the audit records and the people reading them
 * @param setBy who turned it (the admin API's caller, the CLI's user)
 * @param at when
 */
public record ExecutorControl(boolean killSwitch, String reason, String setBy, Instant at) {
    /** The record's key on the control topic. */
    public static final String KEY = "executor";

    /** The prefix of the keys of rules' kill switches. */
    public static final String RULE_KEY_PREFIX = "rule:";

    private static final java.util.regex.Pattern PRODUCER =
            java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    /**
     * The key of the kill switch of the rule whose actions carry {@code produced_by} {@code
     * producer@<version>}.
     *
     * @throws IllegalArgumentException when {@code producer} is not a rule's name (lowercase
     *     letters, digits, {@code .}, {@code _}, {@code -}; no version)
     */
    public static String ruleKey(String producer) {
        if (producer == null || !PRODUCER.matcher(producer).matches()) {
            throw new IllegalArgumentException(
                    "a rule is named as in produced_by without its version (e.g. sla-monitor), got '"
                            + producer
                            + "'");
        }
        return RULE_KEY_PREFIX + producer;
    }

    /** The rule a key names, or null for a key that is not a rule's. */
    public static String ruleOf(String key) {
        return key != null && key.startsWith(RULE_KEY_PREFIX)
                ? key.substring(RULE_KEY_PREFIX.length())
                : null;
    }

    public ExecutorControl {
        Require.text(setBy, "set_by");
        Require.present(at, "at");
        reason = reason == null || reason.isBlank() ? null : reason;
    }
}

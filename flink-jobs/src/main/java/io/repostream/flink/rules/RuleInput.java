package io.repostream.flink.rules;

import io.repostream.schemas.GitHubEvent;
import java.util.Objects;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.util.OutputTag;

/**
 * What a rule reads and how it is keyed: either GitHub events (after the job's payload projection)
 * that a filter keeps, or a typed side output of another rule.
 *
 * @param <IN> the records the rule's function reads
 */
public sealed interface RuleInput<IN> permits RuleInput.Events, RuleInput.Consumes {

    /** What the input is keyed by, in words, for the docs and error messages. */
    String keyedBy();

    KeySelector<IN, String> key();

    /**
     * GitHub events that {@code filter} keeps, keyed by {@code key}. Rules with an input of the
     * same {@code name} share one filter and one keyed stream (the name is the filter operator's).
     */
    static RuleInput<GitHubEvent> events(
            String name,
            FilterFunction<GitHubEvent> filter,
            KeySelector<GitHubEvent, String> key,
            String keyedBy) {
        return new Events(name, filter, key, keyedBy);
    }

    /**
     * The records another rule, registered before this one, writes to its side output {@code
     * output}, keyed by {@code key}.
     */
    static <T> RuleInput<T> consumes(
            String fromRule, OutputTag<T> output, KeySelector<T, String> key, String keyedBy) {
        return new Consumes<>(fromRule, output, key, keyedBy);
    }

    record Events(
            String name,
            FilterFunction<GitHubEvent> filter,
            KeySelector<GitHubEvent, String> key,
            String keyedBy)
            implements RuleInput<GitHubEvent> {
        public Events {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(keyedBy, "keyedBy");
        }
    }

    /**
     * @param fromRule uid of the rule whose side output this is
     */
    record Consumes<T>(
            String fromRule, OutputTag<T> output, KeySelector<T, String> key, String keyedBy)
            implements RuleInput<T> {
        public Consumes {
            Objects.requireNonNull(fromRule, "fromRule");
            Objects.requireNonNull(output, "output");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(keyedBy, "keyedBy");
        }
    }
}

package io.repostream.flink.rules;

import io.repostream.flink.rules.commands.SlashCommand;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.OutputTag;

/**
 * Everything the job needs to know about one rule, in one place: {@code RepostreamJob} builds the
 * graph by looping over the {@link Rules registered} descriptors, the payload projection ({@code
 * RuleFields}) keeps the union of their declared fields, and the governors give an action the
 * priority its rule declares for its type.
 *
 * @param <IN> the records the rule's function reads (GitHub events, or another rule's output)
 */
public final class Rule<IN> {
    /** The rule's function: keyed by {@link RuleInput#key()}, the repo policies broadcast. */
    public interface FunctionFactory<IN>
            extends Supplier<KeyedBroadcastProcessFunction<String, IN, RepoPolicy, ActionRecord>> {}

    private final String uid;
    private final String name;
    private final String producedBy;
    private final RuleInput<IN> input;
    private final FunctionFactory<IN> function;
    private final Set<String> events;
    private final List<String> fields;
    private final List<OutputTag<?>> outputs;
    private final List<OutputTag<RepoMetrics>> signals;
    private final String policySection;
    private final List<SlashCommand> commands;
    private final Map<ActionType, ActionPriority> actions;
    private final Set<ActionType> learnsFrom;
    private final String alsoReadsFrom;
    private final OutputTag<GitHubEvent> alsoReads;

    private Rule(Builder<IN> b) {
        this.uid = Objects.requireNonNull(b.uid, "uid");
        this.name = Objects.requireNonNull(b.name, "name");
        this.producedBy = Objects.requireNonNull(b.producedBy, "producedBy");
        if (producedBy.indexOf('@') <= 0) {
            throw new IllegalArgumentException(
                    "rule " + uid + ": produced_by must be name@version, got " + producedBy);
        }
        this.input = Objects.requireNonNull(b.input, "input of rule " + uid);
        this.function = Objects.requireNonNull(b.function, "function of rule " + uid);
        this.events = Set.copyOf(b.events);
        this.fields = List.copyOf(b.fields);
        this.outputs = List.copyOf(b.outputs);
        this.signals = List.copyOf(b.signals);
        this.policySection = Objects.requireNonNull(b.policySection, "policy section");
        this.commands = List.copyOf(b.commands.values());
        this.actions = Map.copyOf(b.actions);
        this.learnsFrom = Set.copyOf(b.learnsFrom);
        this.alsoReadsFrom = b.alsoReadsFrom;
        this.alsoReads = b.alsoReads;
        if (alsoReads != null && !(input instanceof RuleInput.Events)) {
            throw new IllegalArgumentException(
                    "rule " + uid + ": only a rule over GitHub events also reads another's events");
        }
        if (!learnsFrom.isEmpty() && !(input instanceof RuleInput.Events)) {
            throw new IllegalArgumentException(
                    "rule "
                            + uid
                            + ": only a rule over GitHub events learns from its audits (its audit"
                            + " records reach it as events of type "
                            + AuditFeedback.TYPE
                            + ")");
        }
        for (ActionType type : learnsFrom) {
            if (!actions.containsKey(type)) {
                throw new IllegalArgumentException(
                        "rule "
                                + uid
                                + " learns from the audits of "
                                + type.wireName()
                                + ", an action type it does not emit");
            }
        }
        for (String field : fields) {
            if (!field.startsWith("/")) {
                throw new IllegalArgumentException(
                        "rule "
                                + uid
                                + ": a field is a JSON pointer (/issue/number), got "
                                + field);
            }
        }
    }

    /**
     * A rule whose operator has {@code uid} (a savepoint restores by it: never change it once
     * released) and whose actions carry {@code producedBy} ({@code name@version}).
     */
    public static <IN> Builder<IN> builder(String uid, String producedBy, RuleInput<IN> input) {
        return new Builder<>(uid, producedBy, input);
    }

    /** The operator's uid. */
    public String uid() {
        return uid;
    }

    /** The operator's name (metrics and the web UI show it). */
    public String name() {
        return name;
    }

    /** {@code produced_by} of the rule's actions, {@code name@version}. */
    public String producedBy() {
        return producedBy;
    }

    /** {@link #producedBy()} without its version. */
    public String producer() {
        return producedBy.substring(0, producedBy.indexOf('@'));
    }

    public RuleInput<IN> input() {
        return input;
    }

    /**
     * A new instance of the rule's function, run inside the gate of its policy section ({@link
     * PolicySectionGate}): off, shadow or on per repository, whatever the function does.
     */
    public KeyedBroadcastProcessFunction<String, IN, RepoPolicy, ActionRecord> newFunction() {
        return gated(function.get());
    }

    /** {@code function} (an instance a test keeps) run as {@link #newFunction()} runs it. */
    public KeyedBroadcastProcessFunction<String, IN, RepoPolicy, ActionRecord> gated(
            KeyedBroadcastProcessFunction<String, IN, RepoPolicy, ActionRecord> function) {
        return new PolicySectionGate<>(producedBy, policySection, function);
    }

    /** The webhook event types ({@code issues}, {@code workflow_run}, ...) the rule reads. */
    public Set<String> events() {
        return events;
    }

    /**
     * The payload fields the rule reads, as JSON pointers; an array's elements are addressed
     * through the array ({@code /issue/labels/name} is the name of every label).
     */
    public List<String> fields() {
        return fields;
    }

    /** Typed side outputs other rules may consume ({@link RuleInput#consumes}). */
    public List<OutputTag<?>> outputs() {
        return outputs;
    }

    /** Side outputs of metric signals, for the analytics windows. */
    public List<OutputTag<RepoMetrics>> signals() {
        return signals;
    }

    /**
     * The section of the repo policy the rule owns ({@code triage}, {@code sla}, {@code ci}): the
     * rule is off for a repository whose policy does not have it, and follows its {@code mode}
     * otherwise. A new rule names a new section (and adds its record to {@code RepoPolicy}), never
     * one of {@link RepoPolicy#LEGACY_SECTIONS}, so it stays off where no policy names it.
     */
    public String policySection() {
        return policySection;
    }

    /** The names of the slash commands the rule handles ({@link #slashCommands()}). */
    public Set<String> commands() {
        Set<String> names = new LinkedHashSet<>();
        commands.forEach(c -> names.add(c.name()));
        return names;
    }

    /**
     * The slash commands the rule handles, each with the permission it needs: the job's one command
     * framework ({@code rules/commands/}) routes a command to the rule that declares it, once
     * GitHub has said the commenter has that permission, and proposes what it returns as this
     * rule's actions (so the rule declares their types with {@link Builder#emits}).
     */
    public List<SlashCommand> slashCommands() {
        return commands;
    }

    /** The action types the rule emits and the priority of each. */
    public Map<ActionType, ActionPriority> actions() {
        return actions;
    }

    /** The priority the rule declares for {@code type}, or null when it does not emit it. */
    public ActionPriority priority(ActionType type) {
        return actions.get(type);
    }

    /**
     * The action types whose audit records (from {@code github.audit.v1}) the rule receives as
     * events of type {@link AuditFeedback#TYPE}, unioned into its keyed input; empty for a rule
     * that does not learn from its audits ({@link Builder#learnsFromItsAudits}).
     */
    public Set<ActionType> learnsFrom() {
        return learnsFrom;
    }

    /** Whether the rule receives the audit records of its own actions. */
    public boolean learnsFromItsAudits() {
        return !learnsFrom.isEmpty();
    }

    /**
     * The uid of the rule whose side output of internal events ({@link #alsoReads()}) this rule
     * reads beside its own events; null when it reads none.
     */
    public String alsoReadsFrom() {
        return alsoReadsFrom;
    }

    /**
     * A side output of internal events ({@code source: enrichment}) of the rule {@link
     * #alsoReadsFrom()}, unioned into this rule's keyed input after its filter and keyed by its key
     * selector (as its audit events are); null when it reads none.
     */
    public OutputTag<GitHubEvent> alsoReads() {
        return alsoReads;
    }

    @Override
    public String toString() {
        return "rule " + uid + " (" + producedBy + ")";
    }

    public static final class Builder<IN> {
        private final String uid;
        private final String producedBy;
        private final RuleInput<IN> input;
        private String name;
        private FunctionFactory<IN> function;
        private final Set<String> events = new LinkedHashSet<>();
        private final List<String> fields = new ArrayList<>();
        private final List<OutputTag<?>> outputs = new ArrayList<>();
        private final List<OutputTag<RepoMetrics>> signals = new ArrayList<>();
        private String policySection;
        private final Map<String, SlashCommand> commands = new LinkedHashMap<>();
        private final Map<ActionType, ActionPriority> actions = new LinkedHashMap<>();
        private final Set<ActionType> learnsFrom = new LinkedHashSet<>();
        private String alsoReadsFrom;
        private OutputTag<GitHubEvent> alsoReads;

        private Builder(String uid, String producedBy, RuleInput<IN> input) {
            this.uid = uid;
            this.name = uid;
            this.producedBy = producedBy;
            this.input = input;
        }

        /** The operator's name, when it is not its uid. */
        public Builder<IN> name(String name) {
            this.name = name;
            return this;
        }

        public Builder<IN> function(FunctionFactory<IN> function) {
            this.function = function;
            return this;
        }

        public Builder<IN> events(String... types) {
            events.addAll(List.of(types));
            return this;
        }

        public Builder<IN> fields(String... pointers) {
            fields.addAll(List.of(pointers));
            return this;
        }

        public Builder<IN> output(OutputTag<?> tag) {
            outputs.add(tag);
            return this;
        }

        public Builder<IN> signals(OutputTag<RepoMetrics> tag) {
            signals.add(tag);
            return this;
        }

        public Builder<IN> policySection(String section) {
            this.policySection = section;
            return this;
        }

        /** Slash commands the rule handles; a name once per rule. */
        public Builder<IN> command(SlashCommand... declared) {
            for (SlashCommand c : declared) {
                if (commands.put(c.name(), c) != null) {
                    throw new IllegalArgumentException(
                            "rule " + uid + " declares " + c.written() + " twice");
                }
            }
            return this;
        }

        public Builder<IN> emits(ActionPriority priority, ActionType... types) {
            for (ActionType type : types) {
                actions.put(type, priority);
            }
            return this;
        }

        /**
         * The rule receives the audit records of its own actions of {@code types} (all the types it
         * {@link #emits} when none is named) as events of type {@link AuditFeedback#TYPE}, keyed
         * like its other events ({@link AuditFeedback}); declare the {@code /audit/...} fields it
         * reads with {@link #fields}. Call after {@link #emits}.
         */
        public Builder<IN> learnsFromItsAudits(ActionType... types) {
            learnsFrom.addAll(types.length == 0 ? actions.keySet() : List.of(types));
            if (learnsFrom.isEmpty()) {
                throw new IllegalArgumentException(
                        "rule " + uid + " learns from its audits but emits no action yet");
            }
            return this;
        }

        /**
         * Beside its events, the rule reads the internal events rule {@code fromRule} (registered
         * before it) writes to its side output {@code output}: a verdict another rule keeps, say,
         * without this rule keeping the same state again.
         */
        public Builder<IN> alsoReads(String fromRule, OutputTag<GitHubEvent> output) {
            this.alsoReadsFrom = Objects.requireNonNull(fromRule, "fromRule");
            this.alsoReads = Objects.requireNonNull(output, "output");
            return this;
        }

        public Rule<IN> build() {
            return new Rule<>(this);
        }
    }
}

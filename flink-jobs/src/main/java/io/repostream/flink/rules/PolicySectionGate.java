package io.repostream.flink.rules;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Mode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every rule's function runs inside, so that no rule has to do it itself: the mode of the
 * rule's {@link Rule#policySection() policy section} in the repository's policy decides.
 *
 * <ul>
 *   <li>{@code off} (the section absent from a sectioned policy, or {@code mode: off}): the rule
 *       reads nothing of the repository (its records are skipped, counted in {@code
 *       recordsOfRulesOff}), and an action it still emits (a timer set while it was on) is dropped
 *       with a log line and counted in {@code actionsOfRulesOff}.
 *   <li>{@code shadow}: the rule runs, and its actions leave marked {@code dry_run}: the governors
 *       pass them without spending budget and the executor audits the would-be change and writes
 *       nothing (counted in {@code shadowActions}).
 *   <li>{@code on}: as the rule says.
 * </ul>
 *
 * <p>A repository without a policy, and a flat policy written before sections, have the sections of
 * the rules of that release on ({@link RepoPolicy#LEGACY_SECTIONS}); a rule added later is off
 * there until a policy names its section.
 */
final class PolicySectionGate<IN>
        extends KeyedBroadcastProcessFunction<String, IN, RepoPolicy, ActionRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PolicySectionGate.class);

    private final String rule;
    private final String section;
    private final KeyedBroadcastProcessFunction<String, IN, RepoPolicy, ActionRecord> function;

    private transient Counter skippedRecords;
    private transient Counter droppedActions;
    private transient Counter shadowActions;

    PolicySectionGate(
            String rule,
            String section,
            KeyedBroadcastProcessFunction<String, IN, RepoPolicy, ActionRecord> function) {
        this.rule = rule;
        this.section = section;
        this.function = function;
    }

    /** The function the gate runs (tests look inside it). */
    KeyedBroadcastProcessFunction<String, IN, RepoPolicy, ActionRecord> function() {
        return function;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        var metrics = getRuntimeContext().getMetricGroup();
        skippedRecords = metrics.counter("recordsOfRulesOff");
        droppedActions = metrics.counter("actionsOfRulesOff");
        shadowActions = metrics.counter("shadowActions");
        function.setRuntimeContext(getRuntimeContext());
        function.open(openContext);
    }

    @Override
    public void close() throws Exception {
        function.close();
    }

    @Override
    public void processElement(IN record, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        // an event names its repository; a rule keyed across repositories (routing: by
        // installation) is gated per event, as every other rule is per key
        String repo =
                record instanceof GitHubEvent event && event.repo() != null
                        ? event.repo()
                        : repoOf(ctx.getCurrentKey());
        if (mode(ctx, repo) == Mode.OFF) {
            skippedRecords.inc();
            return;
        }
        function.processElement(record, ctx, gated(ctx, out));
    }

    @Override
    public void processBroadcastElement(RepoPolicy policy, Context ctx, Collector<ActionRecord> out)
            throws Exception {
        function.processBroadcastElement(policy, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActionRecord> out)
            throws Exception {
        function.onTimer(timestamp, ctx, gated(ctx, out));
    }

    private Mode mode(ReadOnlyContext ctx, String repo) throws Exception {
        return Policies.of(ctx.getBroadcastState(Policies.DESCRIPTOR), repo).mode(section);
    }

    private Collector<ActionRecord> gated(ReadOnlyContext ctx, Collector<ActionRecord> out) {
        return new Collector<>() {
            @Override
            public void collect(ActionRecord action) {
                Mode mode;
                try {
                    mode = mode(ctx, action.repo());
                } catch (Exception e) {
                    throw new IllegalStateException("policy of " + action.repo(), e);
                }
                switch (mode) {
                    case OFF -> {
                        droppedActions.inc();
                        LOG.info(
                                "{}: {} on {}#{} dropped: section {} of the repo's policy is off"
                                        + " ({})",
                                rule,
                                action.type().wireName(),
                                action.repo(),
                                action.target(),
                                section,
                                action.actionId());
                    }
                    case SHADOW -> {
                        shadowActions.inc();
                        out.collect(action.asDryRun());
                    }
                    case ON -> out.collect(action);
                }
            }

            @Override
            public void close() {
                out.close();
            }
        };
    }

    /**
     * The repository of a rule's key: every rule is keyed within one repository, by a key that
     * starts with its {@code owner/repo} (lowercase letters, digits, {@code .}, {@code _}, {@code
     * -}) and goes on after a character a repository name cannot hold ({@code #}, {@code |}).
     */
    static String repoOf(String key) {
        int slash = key.indexOf('/');
        int end = slash + 1;
        while (end < key.length() && repoChar(key.charAt(end))) {
            end++;
        }
        return key.substring(0, end);
    }

    private static boolean repoChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    }
}

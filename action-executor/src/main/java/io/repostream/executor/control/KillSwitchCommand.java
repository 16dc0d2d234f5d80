package io.repostream.executor.control;

import io.repostream.executor.ledger.Ledger;
import io.repostream.executor.ledger.TopicTail;
import io.repostream.executor.policy.PolicyStore;
import io.repostream.schemas.ExecutorControl;
import io.repostream.schemas.topics.Topics;
import io.repostream.serviceconfig.KafkaOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kill-switch on|off|status}: the switch every executor follows, on github.control.v1. */
@Command(
        name = "kill-switch",
        mixinStandardHelpOptions = true,
        description =
                "Turn the kill switch on or off for every executor (github.control.v1), or show"
                        + " it. While it is on, every action is skipped and audited as"
                        + " skipped_disabled. With --rule, the kill switch of one rule: its"
                        + " actions only.")
public final class KillSwitchCommand implements Callable<Integer> {
    enum Verb {
        on,
        off,
        status
    }

    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Parameters(index = "0", description = "on, off or status")
    Verb verb;

    @Option(
            names = "--rule",
            description =
                    "the rule whose switch this is, as in produced_by without its version (e.g."
                            + " sla-monitor); without it, the global switch")
    String rule;

    @Option(names = "--reason", description = "why; kept with the switch and logged")
    String reason;

    @Option(
            names = "--by",
            defaultValue = "${env:USER:-cli}",
            description = "who turns it (default ${DEFAULT-VALUE})")
    String by;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String key = rule == null ? ExecutorControl.KEY : ExecutorControl.ruleKey(rule);
        if (verb != Verb.status) {
            ControlWriter.write(
                    kafka.client(),
                    key,
                    new ExecutorControl(verb == Verb.on, reason, by, Instant.now()));
        }
        ControlState state = new ControlState();
        try (TopicTail tail =
                new TopicTail(kafka.client(), new Ledger(), new PolicyStore(), state)) {
            if (!tail.followsControl()) {
                throw new IllegalStateException(
                        "topic " + Topics.CONTROL.name() + " does not exist: create it first");
            }
            tail.catchUp(Duration.ofMinutes(2));
        }
        if (rule != null) {
            out.println(
                    "kill switch of rule " + rule + " " + (state.ruleKilled(rule) ? "on" : "off"));
            state.rule(rule).ifPresent(c -> out.println(setBy(c)));
            out.flush();
            return 0;
        }
        out.println("kill switch " + (state.killSwitchOn() ? "on" : "off"));
        state.rules()
                .forEach(
                        (r, c) -> {
                            if (c.killSwitch()) {
                                out.println("kill switch of rule " + r + " on; " + setBy(c));
                            }
                        });
        state.latest()
                .ifPresent(
                        c ->
                                out.println(
                                        "set by "
                                                + c.setBy()
                                                + " at "
                                                + c.at()
                                                + (c.reason() == null
                                                        ? ""
                                                        : " (" + c.reason() + ")")));
        out.flush();
        return 0;
    }

    private static String setBy(ExecutorControl c) {
        return "set by "
                + c.setBy()
                + " at "
                + c.at()
                + (c.reason() == null ? "" : " (" + c.reason() + ")");
    }
}

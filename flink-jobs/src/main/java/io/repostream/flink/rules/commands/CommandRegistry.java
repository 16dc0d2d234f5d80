package io.repostream.flink.rules.commands;

import io.repostream.flink.rules.Rule;
import io.repostream.schemas.RepoPolicy;
import java.io.Serializable;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every slash command of the job and the rule that declares it: the framework routes a parsed
 * command by name. Two rules cannot declare the same command.
 */
public final class CommandRegistry implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * A command with the {@code produced_by} of the rule that declares it and that rule's policy
     * section, whose mode the command follows (off: not run; shadow: dry runs).
     */
    public record Declared(SlashCommand command, String producedBy, String section)
            implements Serializable {}

    private final LinkedHashMap<String, Declared> byName = new LinkedHashMap<>();

    /** The commands {@code rules} declare. */
    public static CommandRegistry of(Collection<? extends Rule<?>> rules) {
        CommandRegistry registry = new CommandRegistry();
        for (Rule<?> rule : rules) {
            for (SlashCommand c : rule.slashCommands()) {
                Declared previous =
                        registry.byName.put(
                                c.name(), new Declared(c, rule.producedBy(), rule.policySection()));
                if (previous != null) {
                    throw new IllegalArgumentException(
                            c.written()
                                    + " is declared by "
                                    + previous.producedBy()
                                    + " and "
                                    + rule.producedBy());
                }
            }
        }
        return registry;
    }

    public Optional<Declared> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every command by name, in declaration order. */
    public Map<String, Declared> all() {
        return Map.copyOf(byName);
    }

    /** Every command, in declaration order (rules in build order, then as each declares them). */
    public List<Declared> declared() {
        return List.copyOf(byName.values());
    }

    /** The commands whose rule's policy section is not off in {@code policy}, in order. */
    public List<Declared> enabledIn(RepoPolicy policy) {
        return byName.values().stream()
                .filter(d -> policy.mode(d.section()) != RepoPolicy.Mode.OFF)
                .toList();
    }

    /** {@code /label, /unlabel}: what the reply to an unknown command lists. */
    public String written() {
        return String.join(", ", byName.values().stream().map(d -> d.command().written()).toList());
    }
}

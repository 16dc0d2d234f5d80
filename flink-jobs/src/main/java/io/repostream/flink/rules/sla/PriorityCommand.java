package io.repostream.flink.rules.sla;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.flink.rules.commands.RepoPermission;
import io.repostream.flink.rules.commands.SlashCommand;
import io.repostream.schemas.ActionType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /priority P}, declared by the SLA monitor, which reads an item's priority from its labels
 * ({@link SlaDeadlines#priority}) through the policy's {@code sla.priority_labels} (label name to
 * priority, {@code P0}..{@code P3} and {@code priority/critical}..{@code priority/low} by default).
 * The command swaps the item's priority labels for one of {@code P}: it removes every label that
 * names another priority and adds the first label the policy maps to {@code P}, unless the item
 * already carries one. The SLA monitor then sees the labels change and retargets its deadlines.
 * Needs triage permission: it changes labels, which GitHub's triage role may.
 */
public final class PriorityCommand {
    private PriorityCommand() {}

    public static final SlashCommand PRIORITY =
            new SlashCommand(
                            "priority",
                            RepoPermission.TRIAGE,
                            "/priority p0|p1|p2|p3",
                            PriorityCommand::priority)
                    .describedAs(
                            "Sets the priority: swaps the item's priority labels (policy"
                                    + " `sla.priority_labels`) for one of the priority named.");

    private static List<SlashCommand.Effect> priority(SlashCommand.Invocation inv) {
        Map<String, String> byLabel = inv.policy().sla().priorityLabels();
        Set<String> priorities = new TreeSet<>(byLabel.values());
        if (inv.args().size() != 1) {
            throw new IllegalArgumentException(
                    "name one priority: " + String.join(", ", priorities));
        }
        String wanted =
                priorities.stream()
                        .filter(p -> p.equalsIgnoreCase(inv.args().get(0)))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "'"
                                                        + inv.args().get(0)
                                                        + "' is not one of this repository's"
                                                        + " priorities: "
                                                        + String.join(", ", priorities)));
        List<SlashCommand.Effect> effects = new ArrayList<>();
        boolean has = false;
        for (String label : inv.itemLabels()) {
            String p = byLabel.get(label);
            if (p == null) {
                continue;
            }
            if (p.equals(wanted)) {
                has = true;
            } else {
                effects.add(
                        new SlashCommand.Effect(
                                ActionType.REMOVE_LABEL,
                                JsonNodeFactory.instance.objectNode().put("label", label),
                                "@" + inv.author() + " set the priority to " + wanted));
            }
        }
        if (!has) {
            String label =
                    byLabel.entrySet().stream()
                            .filter(e -> e.getValue().equals(wanted))
                            .findFirst()
                            .orElseThrow()
                            .getKey();
            JsonNodeFactory f = JsonNodeFactory.instance;
            effects.add(
                    0,
                    new SlashCommand.Effect(
                            ActionType.ADD_LABELS,
                            f.objectNode().set("labels", f.arrayNode().add(label)),
                            "@" + inv.author() + " set the priority to " + wanted));
        }
        return effects;
    }
}

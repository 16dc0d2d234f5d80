package io.repostream.flink.rules.merge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.rules.commands.RepoPermission;
import io.repostream.flink.rules.commands.SlashCommand;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.MergeQueue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code /merge [--priority]}, {@code /hold} and {@code /unhold}, handled by the merge queue rule
 * as Prow's commands are: each changes a label the merge rules already read, so what a command
 * asked for is visible on the pull request, survives any restart, and is undone like any label.
 * {@code /merge} adds the label {@code merge_queue:} asks for (the pull request is merged, or
 * queued, once eligible), with {@code --priority} the emergency lane's label too; {@code /hold}
 * adds the blocking label {@code hold} (the first blocking label without a wildcard), which makes
 * the pull request ineligible, so it leaves the queue; {@code /unhold} removes it.
 */
public final class MergeCommands {
    private MergeCommands() {}

    public static final SlashCommand MERGE =
            new SlashCommand(
                            "merge",
                            RepoPermission.WRITE,
                            "/merge [--priority]",
                            MergeCommands::merge)
                    .describedAs(
                            "Asks for the pull request to be merged: adds the label `merge_queue:`"
                                    + " names (with `--priority`, also the emergency lane's"
                                    + " label); it is merged, or queued, once eligible.");

    public static final SlashCommand HOLD =
            new SlashCommand("hold", RepoPermission.TRIAGE, "/hold", MergeCommands::hold)
                    .orByTheAuthor()
                    .describedAs(
                            "Keeps the pull request from being merged: adds the blocking label"
                                    + " (`hold`); it leaves the merge queue.");

    public static final SlashCommand UNHOLD =
            new SlashCommand("unhold", RepoPermission.TRIAGE, "/unhold", MergeCommands::unhold)
                    .describedAs("Removes the blocking label `/hold` added.");

    private static List<SlashCommand.Effect> merge(SlashCommand.Invocation inv) {
        pullRequestOnly(inv);
        boolean priority = false;
        for (String arg : inv.args()) {
            if (!arg.equalsIgnoreCase("--priority")) {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
            priority = true;
        }
        List<MergeQueue.Branch> branches = branches(inv);
        Set<String> wanted = new LinkedHashSet<>();
        branches.forEach(b -> wanted.add(b.label()));
        if (priority) {
            branches.forEach(b -> wanted.add(b.priorityLabel()));
        }
        List<String> missing = new ArrayList<>();
        for (String label : wanted) {
            if (!carries(inv, label)) {
                missing.add(label);
            }
        }
        if (missing.isEmpty()) {
            return List.of();
        }
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        missing.forEach(params.putArray("labels")::add);
        return List.of(
                new SlashCommand.Effect(
                        ActionType.ADD_LABELS,
                        params,
                        "@"
                                + inv.author()
                                + " asked for the merge"
                                + (priority ? " in the emergency lane" : "")));
    }

    private static List<SlashCommand.Effect> hold(SlashCommand.Invocation inv) {
        pullRequestOnly(inv);
        noArguments(inv);
        String label = holdLabel(inv);
        if (carries(inv, label)) {
            return List.of();
        }
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.putArray("labels").add(label);
        return List.of(
                new SlashCommand.Effect(
                        ActionType.ADD_LABELS, params, "@" + inv.author() + " put it on hold"));
    }

    private static List<SlashCommand.Effect> unhold(SlashCommand.Invocation inv) {
        pullRequestOnly(inv);
        noArguments(inv);
        String label = holdLabel(inv);
        for (String carried : inv.itemLabels()) {
            if (carried.equalsIgnoreCase(label)) {
                return List.of(
                        new SlashCommand.Effect(
                                ActionType.REMOVE_LABEL,
                                JsonNodeFactory.instance.objectNode().put("label", carried),
                                "@" + inv.author() + " took it off hold"));
            }
        }
        return List.of();
    }

    private static void pullRequestOnly(SlashCommand.Invocation inv) {
        if (!inv.pullRequest()) {
            throw new IllegalArgumentException(
                    "merging is for pull requests only, and this is an issue");
        }
    }

    private static void noArguments(SlashCommand.Invocation inv) {
        if (!inv.args().isEmpty()) {
            throw new IllegalArgumentException("it takes no argument");
        }
    }

    private static List<MergeQueue.Branch> branches(SlashCommand.Invocation inv) {
        List<MergeQueue.Branch> branches = inv.policy().mergeQueue().branches();
        if (branches.isEmpty()) {
            throw new IllegalArgumentException("`merge_queue:` names no base branch here");
        }
        return branches;
    }

    /** The first blocking label without a wildcard, of the first branch that has one. */
    private static String holdLabel(SlashCommand.Invocation inv) {
        for (MergeQueue.Branch b : branches(inv)) {
            for (String label : b.blockingLabels()) {
                if (label.indexOf('*') < 0 && label.indexOf('?') < 0) {
                    return label;
                }
            }
        }
        throw new IllegalArgumentException(
                "`merge_queue:` has no blocking label without a wildcard to hold with");
    }

    private static boolean carries(SlashCommand.Invocation inv, String label) {
        String l = label.toLowerCase(Locale.ROOT);
        return inv.itemLabels().stream().anyMatch(c -> c.toLowerCase(Locale.ROOT).equals(l));
    }
}

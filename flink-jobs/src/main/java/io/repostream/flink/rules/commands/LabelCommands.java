package io.repostream.flink.rules.commands;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.ActionType;
import java.util.List;

/**
 * {@code /label NAME...} and {@code /unlabel NAME} (alias {@code /remove-label NAME}), handled by
 * the triage rule: people with at least triage permission label an issue or pull request from a
 * comment. Hard-coded limits until the triage rule has a policy section for commands: at most
 * {@link #MAX_LABELS} labels a command, each at most {@link #MAX_NAME} characters (GitHub's own
 * limit on a label's name is checked by GitHub).
 */
public final class LabelCommands {
    static final int MAX_LABELS = 10;
    static final int MAX_NAME = 100;

    private LabelCommands() {}

    public static final SlashCommand LABEL =
            new SlashCommand("label", RepoPermission.TRIAGE, "/label NAME...", LabelCommands::label)
                    .describedAs("Adds the labels named.");

    public static final SlashCommand UNLABEL =
            new SlashCommand(
                            "unlabel",
                            RepoPermission.TRIAGE,
                            "/unlabel NAME",
                            LabelCommands::unlabel)
                    .describedAs("Removes the label named.");

    /**
     * {@code /remove-label NAME}: an alias of {@link #UNLABEL} (the same handler, permission and
     * action), under the name Prow and the issue use, so that people used to either find it. An
     * alias rather than a rename: {@code /unlabel} is in use and documented.
     */
    public static final SlashCommand REMOVE_LABEL =
            new SlashCommand(
                            "remove-label",
                            RepoPermission.TRIAGE,
                            "/remove-label NAME",
                            LabelCommands::unlabel)
                    .describedAs("Removes the label named (an alias of `/unlabel`).");

    private static List<SlashCommand.Effect> label(SlashCommand.Invocation inv) {
        List<String> names = checked(inv.args(), MAX_LABELS);
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        names.forEach(params.putArray("labels")::add);
        return List.of(
                new SlashCommand.Effect(
                        ActionType.ADD_LABELS,
                        params,
                        "@" + inv.author() + " asked for " + String.join(", ", names)));
    }

    private static List<SlashCommand.Effect> unlabel(SlashCommand.Invocation inv) {
        String name = checked(inv.args(), 1).get(0);
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("label", name);
        return List.of(
                new SlashCommand.Effect(
                        ActionType.REMOVE_LABEL,
                        params,
                        "@" + inv.author() + " asked to remove " + name));
    }

    private static List<String> checked(List<String> names, int max) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name a label");
        }
        if (names.size() > max) {
            throw new IllegalArgumentException("at most " + max + " label(s) at a time");
        }
        for (String name : names) {
            if (name.length() > MAX_NAME) {
                throw new IllegalArgumentException(
                        "a label name of " + name.length() + " characters is too long");
            }
        }
        return names;
    }
}

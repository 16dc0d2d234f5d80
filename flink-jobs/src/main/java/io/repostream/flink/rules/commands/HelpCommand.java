package io.repostream.flink.rules.commands;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.schemas.ActionType;
import java.util.List;

/**
 * {@code /help}, declared by the command framework itself (policy section {@code commands:}): a
 * reply listing the commands enabled in the repository (those whose rule's section is not off),
 * each with its usage, what it does and who may run it. Anyone may ask: the list is what {@code
 * docs/commands.md} publishes anyway.
 */
public final class HelpCommand {
    private HelpCommand() {}

    public static final SlashCommand HELP =
            new SlashCommand("help", RepoPermission.NONE, "/help", HelpCommand::help)
                    .describedAs("Lists the commands enabled in this repository.");

    private static List<SlashCommand.Effect> help(SlashCommand.Invocation inv) {
        if (!inv.args().isEmpty()) {
            throw new IllegalArgumentException("takes no arguments");
        }
        return List.of(
                new SlashCommand.Effect(
                        ActionType.CREATE_COMMENT,
                        JsonNodeFactory.instance.objectNode().put("body", text(inv)),
                        "@" + inv.author() + " asked for the list of commands"));
    }

    static String text(SlashCommand.Invocation inv) {
        StringBuilder b =
                new StringBuilder("@")
                        .append(inv.author())
                        .append(", the commands enabled in this repository:\n\n")
                        .append("| Command | What it does | Who may run it |\n")
                        .append("|---|---|---|\n");
        for (CommandRegistry.Declared d : inv.commands().enabledIn(inv.policy())) {
            SlashCommand c = d.command();
            b.append("| `")
                    .append(CommandsPage.cell(c.usage()))
                    .append("` | ")
                    .append(CommandsPage.cell(c.summary()))
                    .append(" | ")
                    .append(c.whoMay())
                    .append(" |\n");
        }
        return b.toString().strip();
    }
}

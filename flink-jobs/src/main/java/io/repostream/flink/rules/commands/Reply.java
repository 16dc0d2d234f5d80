package io.repostream.flink.rules.commands;

import java.util.ArrayList;
import java.util.List;

/**
 * The one reply to a comment whose slash commands were not all done: every unknown, refused or
 * mistaken command of the comment in one list, addressed to its author.
 */
final class Reply {
    private final String author;
    private final List<String> lines = new ArrayList<>();
    private boolean anyUnknown;

    Reply(String author) {
        this.author = author;
    }

    void unknown(String command) {
        anyUnknown = true;
        lines.add("`" + command + "`: unknown command");
    }

    void refused(String command, RepoPermission needs, boolean orAuthor, RepoPermission has) {
        lines.add(
                "`"
                        + command
                        + "`: needs "
                        + needs.wireName()
                        + " permission on this repository"
                        + (orAuthor ? " (or to be the author of this item)" : "")
                        + "; @"
                        + author
                        + " has "
                        + has.wireName());
    }

    void mistaken(String command, String why, String usage) {
        lines.add("`" + command + "`: " + why + " (usage: `" + usage + "`)");
    }

    void off(String command, String section) {
        lines.add("`" + command + "`: off in this repository (policy section `" + section + ":`)");
    }

    void notChecked(String command, String why) {
        lines.add(
                "`" + command + "`: @" + author + "'s permission could not be read (" + why + ")");
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    String text(CommandRegistry commands) {
        StringBuilder b = new StringBuilder("@").append(author).append(", not done:\n");
        lines.forEach(l -> b.append("- ").append(l).append('\n'));
        if (anyUnknown) {
            b.append("\nKnown commands: ").append(commands.written());
        }
        return b.toString().strip();
    }
}

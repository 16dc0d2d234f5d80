package io.repostream.flink.rules.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one parser of slash commands for the whole job. A command is a line of a comment that starts
 * with {@code /name} (letters, digits, hyphens; case-insensitive) followed by a space or the line's
 * end; its arguments are the rest of the line split on white space, a double-quoted argument kept
 * whole ({@code /label "good first issue"}). Lines inside fenced code blocks and quoted lines
 * ({@code > /label x}) are not commands; neither is a path ({@code /usr/bin}).
 */
public final class SlashCommandParser {
    private static final Pattern COMMAND =
            Pattern.compile("^/([A-Za-z][A-Za-z0-9-]*)(?:\\s+(.*))?$");
    private static final Pattern ARG = Pattern.compile("\"([^\"]*)\"|(\\S+)");

    /** Commands in a comment: at most this many are read, the rest ignored. */
    public static final int MAX_COMMANDS = 10;

    private SlashCommandParser() {}

    /** One command as written. */
    public record Parsed(String name, List<String> args, String line) {
        public Parsed {
            args = List.copyOf(args);
        }
    }

    /** The commands in {@code body}, in order; empty when it has none. */
    public static List<Parsed> parse(String body) {
        List<Parsed> commands = new ArrayList<>();
        if (body == null) {
            return commands;
        }
        boolean fenced = false;
        for (String raw : body.split("\\R")) {
            String line = raw.strip();
            if (line.startsWith("```") || line.startsWith("~~~")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = COMMAND.matcher(line);
            if (!m.matches()) {
                continue;
            }
            commands.add(new Parsed(m.group(1).toLowerCase(Locale.ROOT), args(m.group(2)), line));
            if (commands.size() == MAX_COMMANDS) {
                break;
            }
        }
        return commands;
    }

    private static List<String> args(String rest) {
        List<String> args = new ArrayList<>();
        if (rest == null) {
            return args;
        }
        Matcher m = ARG.matcher(rest);
        while (m.find()) {
            String arg = m.group(1) != null ? m.group(1) : m.group(2);
            if (!arg.isBlank()) {
                args.add(arg.strip());
            }
        }
        return args;
    }
}

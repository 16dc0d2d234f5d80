package io.repostream.flink.rules.routing;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@code CODEOWNERS} file as GitHub reads it (docs.github.com, "About code owners"):
 *
 * <ul>
 *   <li>GitHub looks for it in {@code .github/}, the root and {@code docs/}, in that order, and
 *       uses the first it finds ({@link #LOCATIONS}).
 *   <li>Each line is a pattern followed by owners: {@code @user}, {@code @org/team} or an email
 *       address. A line starting with {@code #} is a comment, as is the rest of a line after {@code
 *       #}. A pattern without owners clears the ownership of what it matches.
 *   <li>Patterns follow most of gitignore's rules; three do not work, and a line using one is
 *       invalid and skipped ({@link #skipped()}): {@code \#} escaping, {@code !} negation and
 *       {@code [ ]} ranges. The last pattern that matches a path wins. Matching is case-sensitive.
 *   <li>{@code docs/*} matches the files directly in {@code docs/} only; {@code apps/} matches a
 *       directory {@code apps} anywhere; {@code /docs/} only at the root; {@code **}{@code /logs} a
 *       {@code logs} directory anywhere.
 * </ul>
 */
public final class Codeowners implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where GitHub looks for the file, in the order it looks. */
    public static final List<String> LOCATIONS =
            List.of(".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS");

    private static final Pattern USER =
            Pattern.compile("@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?");
    private static final Pattern TEAM =
            Pattern.compile("@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /** One valid line: its pattern, compiled, and its owners as written. */
    public record Entry(int line, String pattern, List<String> owners, Pattern regex)
            implements Serializable {}

    private final List<Entry> entries;
    private final List<Integer> skipped;

    private Codeowners(List<Entry> entries, List<Integer> skipped) {
        this.entries = List.copyOf(entries);
        this.skipped = List.copyOf(skipped);
    }

    /** The file's text, parsed; invalid lines are skipped (their numbers in {@link #skipped()}). */
    public static Codeowners parse(String text) {
        List<Entry> entries = new ArrayList<>();
        List<Integer> skipped = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] tokens = line.split("\\s+");
            String pattern = tokens[0];
            List<String> owners = new ArrayList<>();
            boolean valid = !pattern.startsWith("!") && !pattern.startsWith("\\#");
            valid &= pattern.indexOf('[') < 0 && pattern.indexOf(']') < 0;
            for (int t = 1; t < tokens.length && valid; t++) {
                if (tokens[t].startsWith("#")) {
                    break; // a comment to the end of the line
                }
                if (USER.matcher(tokens[t]).matches()
                        || TEAM.matcher(tokens[t]).matches()
                        || EMAIL.matcher(tokens[t]).matches()) {
                    owners.add(tokens[t]);
                } else {
                    valid = false;
                }
            }
            if (valid) {
                entries.add(new Entry(i + 1, pattern, owners, compile(pattern)));
            } else {
                skipped.add(i + 1);
            }
        }
        return new Codeowners(entries, skipped);
    }

    /** No file: nobody owns anything. */
    public static Codeowners none() {
        return new Codeowners(List.of(), List.of());
    }

    /** The valid lines, in file order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The numbers (from 1) of the lines skipped as invalid. */
    public List<Integer> skipped() {
        return skipped;
    }

    /**
     * The owners of {@code path} (relative to the repository's root, no leading slash): those of
     * the last line that matches it, empty when that line has none; absent when no line matches.
     */
    public Optional<List<String>> ownersOf(String path) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).regex().matcher(path).matches()) {
                return Optional.of(entries.get(i).owners());
            }
        }
        return Optional.empty();
    }

    /** The users any line names, lowercase, without {@code @}, in file order. */
    public Set<String> users() {
        Set<String> users = new LinkedHashSet<>();
        for (Entry e : entries) {
            for (String owner : e.owners()) {
                if (USER.matcher(owner).matches()) {
                    users.add(owner.substring(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        return users;
    }

    /** The teams ({@code org/team}) any line names, lowercase, in file order. */
    public Set<String> teams() {
        Set<String> teams = new LinkedHashSet<>();
        for (Entry e : entries) {
            for (String owner : e.owners()) {
                if (TEAM.matcher(owner).matches()) {
                    teams.add(owner.substring(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        return teams;
    }

    /**
     * A pattern as a regular expression over a path: anchored at the root when it starts with or
     * contains a slash (but for a trailing one), else matching at any depth; a match of a directory
     * covers what is under it, except for a pattern ending in {@code /*}, which matches the
     * directory's own files only.
     */
    static Pattern compile(String pattern) {
        String p = pattern;
        boolean dirOnly = p.endsWith("/") && p.length() > 1;
        if (dirOnly) {
            p = p.substring(0, p.length() - 1);
        }
        boolean anchored = p.startsWith("/") || p.contains("/");
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        String[] segments = p.split("/", -1);
        StringBuilder re = new StringBuilder(anchored ? "" : "(?:.*/)?");
        for (int i = 0; i < segments.length; i++) {
            boolean last = i == segments.length - 1;
            if (segments[i].equals("**")) {
                // leading or middle: any number of directories; trailing: everything under
                re.append(last ? ".*" : "(?:.*/)?");
                continue;
            }
            re.append(glob(segments[i]));
            if (!last) {
                re.append('/');
            }
        }
        String tail = segments[segments.length - 1];
        // "a/**" covers everything under already; "a/*" matches the directory's own files only
        boolean complete = tail.equals("**") || (segments.length > 1 && tail.equals("*"));
        if (!complete) {
            re.append(dirOnly ? "/.*" : "(?:/.*)?");
        }
        return Pattern.compile(re.toString());
    }

    private static String glob(String segment) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : segment.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? "[^/]*" : "[^/]");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return re.toString();
    }
}

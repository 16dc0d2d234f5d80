package io.repostream.helm;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL expression reads. Enough PromQL for alert rules and dashboards. */
final class PromQl {
    private static final Set<String> KEYWORDS =
            Set.of(
                    "by",
                    "without",
                    "on",
                    "ignoring",
                    "group_left",
                    "group_right",
                    "and",
                    "or",
                    "unless",
                    "bool",
                    "offset",
                    "inf",
                    "nan");
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPINGS =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER =
            Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private static final Pattern SELECTOR =
            Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER =
            Pattern.compile(
                    "([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern ALTERNATIVES =
            Pattern.compile("[a-zA-Z0-9_:-]+(\\|[a-zA-Z0-9_:-]+)*");

    private PromQl() {}

    /**
     * The label values an expression selects series by, as {@code metric|label|value}: each {@code
     * label="value"}, and each alternative of a {@code label=~"a|b"} made only of literal values.
     * Negative matchers and real regular expressions select no value that could be checked.
     */
    static Set<String> labelValues(String expression) {
        Set<String> out = new TreeSet<>();
        Matcher selector = SELECTOR.matcher(expression);
        while (selector.find()) {
            Matcher m = MATCHER.matcher(selector.group(2));
            while (m.find()) {
                String op = m.group(2);
                String value = m.group(3);
                if (op.equals("=")) {
                    out.add(selector.group(1) + "|" + m.group(1) + "|" + value);
                } else if (op.equals("=~") && ALTERNATIVES.matcher(value).matches()) {
                    for (String v : value.split("\\|")) {
                        out.add(selector.group(1) + "|" + m.group(1) + "|" + v);
                    }
                }
            }
        }
        return out;
    }

    static Set<String> metricNames(String expression) {
        String bare = STRINGS.matcher(expression).replaceAll("\"\"");
        bare = LABEL_MATCHERS.matcher(bare).replaceAll(" ");
        bare = RANGES.matcher(bare).replaceAll(" ");
        bare = GROUPINGS.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            boolean functionCall = m.group(2) != null;
            String name = m.group(1);
            if (functionCall || KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            names.add(name);
        }
        return names;
    }
}

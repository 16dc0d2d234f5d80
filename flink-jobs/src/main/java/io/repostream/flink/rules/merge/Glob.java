package io.repostream.flink.rules.merge;

import java.util.regex.Pattern;

/**
 * Branch and label patterns of the {@code merge_queue:} policy section: {@code **} any characters,
 * {@code *} any characters but {@code /} (or any at all for labels, see {@link #label}), {@code ?}
 * one character but {@code /}; everything else literal.
 */
final class Glob {
    private Glob() {}

    /** Whether base branch {@code name} matches {@code pattern} ({@code release/*}). */
    static boolean branch(String pattern, String name) {
        return compile(pattern, "[^/]*").matcher(name).matches();
    }

    /**
     * Whether label {@code name} matches {@code pattern}: here {@code *} crosses {@code /} too, so
     * {@code do-not-merge/*} holds {@code do-not-merge/needs/rebase}. Labels match in any case, as
     * GitHub compares label names.
     */
    static boolean label(String pattern, String name) {
        return compile(pattern.toLowerCase(java.util.Locale.ROOT), ".*")
                .matcher(name.toLowerCase(java.util.Locale.ROOT))
                .matches();
    }

    private static Pattern compile(String glob, String star) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                if (c == '?') {
                    re.append("[^/]");
                } else if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append(star);
                }
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}

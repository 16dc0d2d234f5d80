package io.repostream.flink.rules.completion;

import java.util.regex.Pattern;

/**
 * A {@code completion.branches} pattern: {@code **} any characters, {@code *} any but {@code /}.
 */
final class BranchGlob {
    private BranchGlob() {}

    static boolean matches(String glob, String branch) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i += 2;
            } else if (c == '*') {
                re.append("[^/]*");
                i++;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return Pattern.matches(re.toString(), branch);
    }
}

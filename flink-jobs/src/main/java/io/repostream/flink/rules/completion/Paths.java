package io.repostream.flink.rules.completion;

import java.util.Locale;
import java.util.regex.Pattern;

/** What a changed file is: a test, documentation, or neither (from its path alone). */
final class Paths {
    private Paths() {}

    private static final Pattern TEST_DIR =
            Pattern.compile("(^|/)(tests?|__tests__|spec|specs|testing|it)/");

    private static final Pattern TEST_FILE =
            Pattern.compile(
                    "(^|/)(test_[^/]*|[^/]*_test\\.[^/]+|[^/]*\\.(test|spec)\\.[^/]+"
                            + "|[^/]*(Test|Tests|IT)\\.(java|kt|scala|cs|groovy)|[^/]*_spec\\.rb)$");

    private static final Pattern DOCS =
            Pattern.compile(
                    "(^|/)(docs?|documentation)/|(^|/)readme[^/]*$|\\.(md|mdx|rst|adoc)$",
                    Pattern.CASE_INSENSITIVE);

    static boolean isTest(String path) {
        return TEST_DIR.matcher(path).find() || TEST_FILE.matcher(path).find();
    }

    static boolean isDocs(String path) {
        return DOCS.matcher(path.toLowerCase(Locale.ROOT)).find();
    }
}

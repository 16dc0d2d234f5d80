package io.repostream.executor.reads;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts the lines that say why a CI job failed out of its log: what the classifier reads and a
 * person sees, instead of megabytes of output.
 *
 * <p>A GitHub Actions job log is its steps one after the other, each opening with {@code
 * ##[group]Run <command>}, the command's output after the group, and a failed step ending with
 * {@code ##[error]...}. The failing step is the one of the first {@code ##[error]} line (post steps
 * may fail after it); its output is searched. In a log without those markers (another CI, or a cut
 * that lost them) the whole text is. In the section, lines that read as errors (compiler and test
 * runner failures, exceptions, {@code ERROR}, {@code FAIL}, ...) are kept with the line after each,
 * without the build tools' boilerplate ("Re-run Maven using the -X switch"), the latest ones if
 * there are too many; with none, the section's last lines. The names of failed tests are picked out
 * for the flaky-test detection.
 *
 * <p>Secrets are masked ({@link SecretRedactor}) in the whole text before anything is cut, so that
 * a private key split over lines is masked even when only its middle would be kept.
 */
public final class LogExcerpt {
    /** At most this many lines are kept. */
    public static final int MAX_LINES = 40;

    /** And at most this many characters in all. */
    public static final int MAX_CHARS = 8_000;

    /** Each kept line is cut to this length. */
    static final int MAX_LINE_CHARS = 400;

    /** Without error lines, this many of the section's last lines are kept. */
    static final int FALLBACK_LINES = 15;

    static final int MAX_TESTS = 50;

    private static final Pattern TIMESTAMP =
            Pattern.compile("^\uFEFF?\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z ?");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]|\u001B\\(B");
    private static final Pattern STEP = Pattern.compile("^##\\[group\\]Run (.*)$");

    private static final Pattern ERROR =
            Pattern.compile(
                    "(?i)(?:^##\\[error\\]|\\berror\\b|\\berr!|\\bfail(?:ed|ure|ures|ing)?\\b|"
                            + "\\bexception\\b|\\btraceback\\b|\\bfatal\\b|\\bpanic(?:ked)?\\b|"
                            + "\\bassert(?:ion)?\\w*\\b|\\bcannot\\b|\\bcould not\\b|\\bunable to\\b|"
                            + "\\bnot found\\b|\\bdenied\\b|\\btimed? ?out\\b|\\bkilled\\b|"
                            + "\\bundefined reference\\b|\\bsegmentation fault\\b|\\bexit (?:code|status) [1-9])");

    /** Lines that match {@link #ERROR} but only point elsewhere. */
    private static final Pattern BOILERPLATE =
            Pattern.compile(
                    "(?i)(?:^\\[error\\]\\s*$|^\\[error\\] -> \\[help|re-run maven|"
                            + "to see the full stack trace|for more information about the errors|"
                            + "\\[help \\d+\\] http|^\\[error\\] after correcting the problems|"
                            + "resume the build with|^\\[error\\]\\s+mvn <args>|"
                            + "run with --(?:stacktrace|info|debug|scan)|get more help at|"
                            + "^\\* try:|^> run with|npm err! a complete log of this run|"
                            + "^npm err!\\s*$|failonerror|-Dmaven\\.test\\.failure\\.ignore|"
                            + "^\\s*at (?:org\\.junit|sun\\.reflect|java\\.base/|jdk\\.internal|"
                            + "org\\.apache\\.maven\\.surefire|org\\.gradle\\.))");

    /** Failed tests as common runners name them; group 1 (and 2) make the name. */
    private static final List<Pattern> TESTS =
            List.of(
                    // surefire (JUnit 5): [ERROR] com.x.FooTest.bar  Time elapsed: 0.1 s  <<<
                    // FAILURE!
                    Pattern.compile(
                            "^\\[ERROR\\]\\s+([\\w$.]+\\.[\\w$]+)(?:\\(\\))?\\s+Time elapsed.*<<< (?:FAILURE|ERROR)!"),
                    // surefire (JUnit 4): [ERROR] bar(com.x.FooTest)  Time elapsed ...
                    Pattern.compile(
                            "^\\[ERROR\\]\\s+(\\w+)\\(([\\w$.]+)\\)\\s+Time elapsed.*<<< (?:FAILURE|ERROR)!"),
                    // surefire summary: [ERROR]   FooTest.bar:42 expected ...
                    Pattern.compile("^\\[ERROR\\]\\s{2,}([A-Z][\\w$]*\\.[\\w$]+)(?::\\d+|\\s)"),
                    // Gradle: FooTest > bar() FAILED
                    Pattern.compile("^\\s*([\\w$.]+) > ([\\w$ ()\\[\\],.-]+?) FAILED\\s*$"),
                    // pytest: FAILED tests/test_x.py::test_y - AssertionError
                    Pattern.compile("^FAILED ([\\w/.-]+::[\\w\\[\\]:.-]+)"),
                    // go test: --- FAIL: TestX (0.00s)
                    Pattern.compile("^\\s*--- FAIL: ([\\w/.-]+)"),
                    // cargo test: test tests::foo ... FAILED
                    Pattern.compile("^test ([\\w:]+) \\.\\.\\. FAILED"));

    /**
     * What was cut out.
     *
     * @param lines the error lines kept, in log order, secrets masked
     * @param step the failing step's command ({@code ##[group]Run ...}), or null when the log does
     *     not say
     * @param errorLines how many lines of the section read as errors (kept or not)
     * @param failedTests names of failed tests ({@code com.x.FooTest.bar}, {@code
     *     tests/test_x.py::test_y}), at most {@link #MAX_TESTS}
     * @param redactions how many secrets were masked in the text searched
     */
    public record Excerpt(
            List<String> lines,
            String step,
            int errorLines,
            List<String> failedTests,
            int redactions) {
        public String text() {
            return String.join("\n", lines);
        }
    }

    private final SecretRedactor redactor = new SecretRedactor();

    /**
     * Cuts the excerpt out of {@code log}.
     *
     * @param truncated whether {@code log} is the tail of a longer log (its first line is then
     *     partial, and dropped)
     */
    public Excerpt cut(String log, boolean truncated) {
        List<String> raw = new ArrayList<>(List.of(log.split("\r?\n|\r", -1)));
        if (truncated && raw.size() > 1) {
            raw.remove(0);
        }
        List<String> clean = new ArrayList<>(raw.size());
        for (String line : raw) {
            clean.add(ANSI.matcher(TIMESTAMP.matcher(line).replaceFirst("")).replaceAll(""));
        }
        SecretRedactor.Redacted redacted = redactor.redact(clean);
        List<String> all = redacted.lines();

        int from = 0;
        int to = all.size();
        String step = null;
        int firstError = firstActionsError(all);
        if (firstError >= 0) {
            to = firstError + 1;
            for (int i = firstError; i >= 0; i--) {
                Matcher m = STEP.matcher(all.get(i));
                if (m.matches()) {
                    step = m.group(1).trim();
                    from = afterGroup(all, i);
                    break;
                }
            }
        }
        List<String> section = all.subList(from, to);
        Set<Integer> keep = new LinkedHashSet<>();
        int errors = 0;
        for (int i = 0; i < section.size(); i++) {
            String line = section.get(i);
            if (ERROR.matcher(line).find() && !BOILERPLATE.matcher(line).find()) {
                errors++;
                keep.add(i);
                if (i + 1 < section.size() && !section.get(i + 1).isBlank()) {
                    keep.add(i + 1);
                }
            }
        }
        List<Integer> chosen = new ArrayList<>(keep);
        if (chosen.isEmpty()) {
            for (int i = Math.max(0, section.size() - FALLBACK_LINES); i < section.size(); i++) {
                chosen.add(i);
            }
        }
        return new Excerpt(
                bounded(section, chosen), step, errors, tests(section), redacted.count());
    }

    /** The latest chosen lines within {@link #MAX_LINES} and {@link #MAX_CHARS}, in log order. */
    private static List<String> bounded(List<String> section, List<Integer> chosen) {
        List<String> kept = new ArrayList<>();
        int chars = 0;
        for (int k = chosen.size() - 1; k >= 0 && kept.size() < MAX_LINES; k--) {
            String line = section.get(chosen.get(k)).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() > MAX_LINE_CHARS) {
                line = line.substring(0, MAX_LINE_CHARS) + "…";
            }
            if (chars + line.length() + 1 > MAX_CHARS) {
                break;
            }
            chars += line.length() + 1;
            kept.add(0, line);
        }
        return kept;
    }

    private static int firstActionsError(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("##[error]")) {
                return i;
            }
        }
        return -1;
    }

    /** The first line after the step's group of command, shell and env lines. */
    private static int afterGroup(List<String> lines, int header) {
        for (int i = header + 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith("##[endgroup]")) {
                return i + 1;
            }
            if (lines.get(i).startsWith("##[error]")) {
                return header + 1;
            }
        }
        return header + 1;
    }

    private static List<String> tests(List<String> section) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : section) {
            for (Pattern p : TESTS) {
                Matcher m = p.matcher(line);
                if (m.find()) {
                    names.add(testName(p, m));
                    break;
                }
            }
            if (names.size() >= MAX_TESTS) {
                break;
            }
        }
        return List.copyOf(names);
    }

    private static String testName(Pattern p, Matcher m) {
        if (m.groupCount() < 2 || m.group(2) == null) {
            return m.group(1);
        }
        if (p == TESTS.get(1)) {
            return m.group(2) + "." + m.group(1); // bar(com.x.FooTest)
        }
        return m.group(1) + "." + m.group(2).replace("()", "").trim(); // Gradle
    }
}

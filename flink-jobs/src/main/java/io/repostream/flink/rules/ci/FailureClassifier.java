package io.repostream.flink.rules.ci;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies CI failure text with RE2/J patterns, which run in linear time, so hostile or huge CI
 * output cannot make matching blow up. A repository's policy may add patterns per class (its {@code
 * failure_patterns}); they are tried before the defaults.
 */
public final class FailureClassifier implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FailureClassifier.class);

    /** Only the head of very long output is matched; causes are stated early. */
    static final int MAX_TEXT = 64 * 1024;

    /**
     * A built-in signature of a failure cause: its name (for evidence), its class and its RE2
     * pattern.
     */
    public record Signature(String name, FailureClass failureClass, String pattern)
            implements Serializable {}

    /** What matched: the class and the signature that said so (null when nothing did). */
    public record Verdict(FailureClass failureClass, String signature) implements Serializable {}

    /**
     * Tried in this order: infrastructure trouble first, so a timeout in a test is transient; then
     * a dependency that does not exist (a re-run fails the same way) before a registry that was
     * down; then what the code did.
     */
    static final List<Signature> DEFAULT_SIGNATURES = defaults();

    /**
     * Compiled patterns by source. Not final: the classifier travels inside a function as Java
     * serialization, which leaves transient fields null, and a cache made afresh per call would
     * compile every pattern for every failure.
     */
    private transient Map<String, Pattern> compiled;

    /** Patterns compiled by this instance (after deserialisation: since then), for tests. */
    private transient long compilations;

    /**
     * The class of a failure described by {@code text}, under a repository's extra patterns.
     *
     * @param conclusion GitHub's conclusion ({@code failure}, {@code timed_out}, ...)
     * @param repoPatterns class name ({@code transient}, ...) to RE2 patterns, from the policy
     */
    public FailureClass classify(
            String repo, String conclusion, String text, Map<String, List<String>> repoPatterns) {
        return explain(repo, conclusion, text, repoPatterns).failureClass();
    }

    /**
     * Like {@link #classify}, with the signature that decided: {@code conclusion:timed_out}, {@code
     * repo:<class>} for a repository's own pattern, or a built-in signature's name.
     */
    public Verdict explain(
            String repo, String conclusion, String text, Map<String, List<String>> repoPatterns) {
        if ("timed_out".equals(conclusion)) {
            return new Verdict(FailureClass.TRANSIENT, "conclusion:timed_out");
        }
        String input = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
        for (Map.Entry<String, List<String>> entry : repoPatterns.entrySet()) {
            FailureClass cls = parseClass(repo, entry.getKey());
            if (cls != null && matchesAny(repo, entry.getValue(), input)) {
                return new Verdict(cls, "repo:" + cls.wireName());
            }
        }
        for (Signature signature : DEFAULT_SIGNATURES) {
            if (matchesAny(repo, List.of(signature.pattern()), input)) {
                return new Verdict(signature.failureClass(), signature.name());
            }
        }
        return new Verdict(FailureClass.UNKNOWN, null);
    }

    private boolean matchesAny(String repo, List<String> patterns, String input) {
        for (String regex : patterns) {
            Pattern p = compile(repo, regex);
            if (p != null && p.matcher(input).find()) {
                return true;
            }
        }
        return false;
    }

    private Pattern compile(String repo, String regex) {
        if (compiled == null) {
            compiled = new ConcurrentHashMap<>();
        }
        Map<String, Pattern> cache = compiled;
        Pattern p = cache.get(regex);
        if (p != null) {
            return p;
        }
        compilations++;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            // a bad pattern in one repo's policy must not stop classification
            LOG.warn(
                    "{}: ignoring failure pattern that RE2 cannot compile: {}",
                    repo,
                    e.getMessage());
            return null;
        }
        if (cache.size() < 10_000) {
            cache.put(regex, p);
        }
        return p;
    }

    long compilations() {
        return compilations;
    }

    private static FailureClass parseClass(String repo, String name) {
        try {
            return FailureClass.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: ignoring failure patterns of unknown class '{}'", repo, name);
            return null;
        }
    }

    private static List<Signature> defaults() {
        FailureClass t = FailureClass.TRANSIENT;
        FailureClass d = FailureClass.DEPENDENCY;
        FailureClass p = FailureClass.PERMANENT;
        return List.of(
                new Signature(
                        "runner-lost",
                        t,
                        "(?i)runner (has )?(lost|received a shutdown)|lost communication with the"
                                + " server|the job was not acquired by runner|runner .*"
                                + " (shut ?down|terminated|deprovisioned)"),
                new Signature(
                        "oom-kill",
                        t,
                        "(?i)\\boom[- ]?kill|\\boomkilled\\b|killed signal terminated program|exit"
                                + " code 137\\b|signal: killed|out of memory: killed process|cannot"
                                + " allocate memory"),
                new Signature("disk-full", t, "(?i)no space left on device"),
                new Signature("cancelled", t, "(?i)the operation was canceled"),
                new Signature(
                        "rate-limit",
                        t,
                        "(?i)\\brate limit|\\b429 too many requests\\b|secondary rate"
                                + " limit|toomanyrequests"),
                new Signature(
                        "network",
                        t,
                        "(?i)\\bECONNRESET\\b|connection reset|\\bETIMEDOUT\\b|\\bECONNREFUSED\\b|"
                                + "\\bEAI_AGAIN\\b|socket hang up|\\bnetwork (is )?unreachable\\b|could"
                                + " not resolve host|temporary failure in name resolution|name or"
                                + " service not known|tls handshake timeout|remote end hung up"
                                + " unexpectedly|early eof|rpc failed; curl|connection (was )?"
                                + "(closed|aborted) by|broken pipe"),
                new Signature(
                        "timeout",
                        t,
                        "(?i)\\btimed? ?out\\b|\\btimeout (exceeded|expired)\\b|deadline exceeded"),
                new Signature(
                        "dependency-missing",
                        p,
                        "(?i)could not find artifact|no matching version found|\\bERESOLVE\\b|"
                                + "version solving failed|no matching distribution found|unable to"
                                + " resolve dependency tree|has no installation candidate|could not"
                                + " find a version that satisfies"),
                new Signature(
                        "registry-unavailable",
                        d,
                        "(?i)(npm|yarn|pnpm|pip|maven|gradle|cargo|nuget|registry|repository|docker|"
                                + "pypi|rubygems)\\b.*\\b(5\\d\\d|unavailable|bad gateway|failed to"
                                + " fetch|could not (resolve|transfer|download))"),
                new Signature(
                        "service-unavailable",
                        d,
                        "(?i)could not resolve dependencies|failed to download|service"
                                + " unavailable|502 bad gateway|503 service|504 gateway|could not"
                                + " transfer artifact|received (status|response) code 5\\d\\d|http"
                                + " error 5\\d\\d"),
                new Signature(
                        "compile-error",
                        p,
                        "(?i)compil(e|ation) (error|failed|failure)|error: cannot find"
                                + " symbol|syntaxerror|type ?error|\\berror\\[E\\d+\\]|\\berror"
                                + " (TS|CS)\\d+|undefined reference to|\\b(ImportError|"
                                + "ModuleNotFoundError|NameError|IndentationError)\\b"),
                new Signature(
                        "test-failure",
                        p,
                        "(?i)assertion ?(error|failed)|expected .* but (was|got)|\\btests? failed\\b|"
                                + "<<< (failure|error)!|\\b[1-9]\\d* failing\\b|test result: failed"),
                // test runners shout; "failed" in lower case is too common to mean this
                new Signature("test-failure-shouted", p, "\\bFAILED\\b|\\bFAILURES!|--- FAIL:"),
                new Signature(
                        "lint",
                        p,
                        "(?i)lint(ing)? (error|failed)|\\b(eslint|rubocop|flake8|pylint|checkstyle|"
                                + "spotless|ktlint|golangci-lint|clippy|prettier)\\b.*\\b(error|"
                                + "violation|failed)"));
    }
}

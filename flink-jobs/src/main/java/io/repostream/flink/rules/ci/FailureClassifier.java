package io.repostream.flink.rules.ci;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.io.Serializable;
import java.util.LinkedHashMap;
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

    /** Tried in this order: infrastructure trouble first, so a timeout in a test is transient. */
    static final Map<FailureClass, List<String>> DEFAULT_PATTERNS = defaults();

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
        if ("timed_out".equals(conclusion)) {
            return FailureClass.TRANSIENT;
        }
        String input = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
        for (Map.Entry<String, List<String>> entry : repoPatterns.entrySet()) {
            FailureClass cls = parseClass(repo, entry.getKey());
            if (cls != null && matchesAny(repo, entry.getValue(), input)) {
                return cls;
            }
        }
        for (Map.Entry<FailureClass, List<String>> entry : DEFAULT_PATTERNS.entrySet()) {
            if (matchesAny(repo, entry.getValue(), input)) {
                return entry.getKey();
            }
        }
        return FailureClass.UNKNOWN;
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

    private static Map<FailureClass, List<String>> defaults() {
        Map<FailureClass, List<String>> m = new LinkedHashMap<>();
        m.put(
                FailureClass.TRANSIENT,
                List.of(
                        "(?i)\\btimed? ?out\\b|\\bETIMEDOUT\\b|\\bECONNRESET\\b|\\bECONNREFUSED\\b",
                        "(?i)runner (has )?(lost|received a shutdown)|lost communication with the server",
                        "(?i)\\bnetwork (is )?unreachable\\b|could not resolve host|temporary failure in name resolution",
                        "(?i)\\brate limit|\\b429 too many requests\\b|secondary rate limit",
                        "(?i)no space left on device|the operation was canceled"));
        m.put(
                FailureClass.DEPENDENCY,
                List.of(
                        "(?i)(npm|yarn|pnpm|pip|maven|gradle|cargo|nuget|registry)\\b.*\\b(unavailable|503|502|failed to fetch|could not (resolve|transfer|download))",
                        "(?i)could not resolve dependencies|failed to download|service unavailable|502 bad gateway|503 service"));
        m.put(
                FailureClass.PERMANENT,
                List.of(
                        "(?i)compil(e|ation) (error|failed|failure)|error: cannot find symbol|syntaxerror|type ?error",
                        "(?i)assertion ?(error|failed)|expected .* but (was|got)|\\btests? failed\\b",
                        // test runners shout; "failed" in lower case is too common to mean this
                        "\\bFAILED\\b|\\bFAILURES!",
                        "(?i)lint(ing)? (error|failed)"));
        return java.util.Collections.unmodifiableMap(m);
    }
}

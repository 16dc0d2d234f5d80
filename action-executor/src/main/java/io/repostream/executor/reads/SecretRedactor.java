package io.repostream.executor.reads;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces whatever in CI output looks like a secret with {@link #MASK} before the text leaves the
 * executor (to Kafka, and from there to the console or a comment). GitHub Actions masks the secrets
 * it knows as {@code ***}; this catches the ones it does not know: tokens printed by a tool, keys
 * in a config dump, credentials in a URL. It errs on the side of masking: a masked word that was
 * not a secret costs a little context, a secret that gets through costs a rotation.
 *
 * <p>Line by line, so that a private key block is masked from its {@code BEGIN} line to its {@code
 * END} line, or to the end of the text when the log was cut inside it. Lines are at most {@link
 * #MAX_LINE} characters when they are matched (longer ones are cut first), and every pattern is a
 * plain alternation without nested repetition, so matching stays linear.
 */
public final class SecretRedactor {
    public static final String MASK = "[REDACTED]";

    /** Lines are cut to this length before matching: CI output has minified lines of megabytes. */
    static final int MAX_LINE = 2_000;

    /** Tokens that are secrets whatever surrounds them. */
    private static final List<Pattern> TOKENS =
            List.of(
                    // GitHub: personal, OAuth, user-to-server, server-to-server, refresh tokens
                    Pattern.compile("\\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,255}\\b"),
                    Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{22,255}\\b"),
                    // AWS access key ids
                    Pattern.compile(
                            "\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\\b"),
                    // Slack, npm, Google API keys, PyPI
                    Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,250}"),
                    Pattern.compile("\\bnpm_[A-Za-z0-9]{36}\\b"),
                    Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b"),
                    Pattern.compile("\\bpypi-[A-Za-z0-9_-]{50,250}"),
                    // JSON Web Tokens (an installation token request's JWT, OIDC tokens)
                    Pattern.compile(
                            "\\beyJ[A-Za-z0-9_-]{8,2000}\\.eyJ[A-Za-z0-9_-]{8,2000}\\.[A-Za-z0-9_-]{8,2000}"));

    /** {@code Authorization: Bearer x}, {@code bearer x}: the credential after the scheme. */
    private static final Pattern AUTHORIZATION =
            Pattern.compile(
                    "(?i)(\\bauthorization\\b[\"']?\\s*[:=]\\s*[\"']?(?:bearer|token|basic|digest)?\\s*)"
                            + "([^\\s\"',;]{4,})");

    private static final Pattern BEARER =
            Pattern.compile("(?i)(\\bbearer\\s+)([A-Za-z0-9._~+/=-]{8,})");

    /**
     * {@code password=x}, {@code "client_secret": "x"}, {@code AWS_SECRET_ACCESS_KEY: x}: the
     * keyword anywhere in a name (no prefix is matched, which would backtrack over every long word
     * of a line).
     */
    private static final Pattern ASSIGNED =
            Pattern.compile(
                    "(?i)((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|"
                            + "private[_-]?key|credentials?)[\"']?\\s*[:=]\\s*)"
                            + "(\"[^\"]*\"|'[^']*'|[^\\s,;&]+)");

    /** {@code scheme://user:password@host}: the user and password. */
    private static final Pattern URL_CREDENTIALS =
            Pattern.compile(
                    "(?i)(\\b[a-z][a-z0-9+.-]{1,20}://)([^/\\s:@]{1,200}:[^/\\s@]{1,500})@");

    private static final Pattern KEY_BEGIN =
            Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----");
    private static final Pattern KEY_END =
            Pattern.compile("-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----");

    /** The masked text and how many secrets were masked. */
    public record Redacted(List<String> lines, int count) {}

    /** Masks secrets in {@code lines}, which stay one to one (a masked line stays a line). */
    public Redacted redact(List<String> lines) {
        List<String> out = new ArrayList<>(lines.size());
        int count = 0;
        boolean inKey = false;
        for (String raw : lines) {
            String line = raw.length() > MAX_LINE ? raw.substring(0, MAX_LINE) + "…" : raw;
            if (inKey) {
                out.add(MASK);
                if (KEY_END.matcher(line).find()) {
                    inKey = false;
                }
                continue;
            }
            Matcher begin = KEY_BEGIN.matcher(line);
            if (begin.find()) {
                count++;
                out.add(line.substring(0, begin.start()) + MASK);
                inKey = !KEY_END.matcher(line).find(begin.end());
                continue;
            }
            Counted c = new Counted(line);
            for (Pattern p : TOKENS) {
                c.replaceAll(p, m -> MASK);
            }
            c.replaceAll(URL_CREDENTIALS, m -> m.group(1) + MASK + "@");
            c.replaceAll(AUTHORIZATION, m -> m.group(1) + MASK);
            c.replaceAll(BEARER, m -> m.group(1) + MASK);
            c.replaceAll(ASSIGNED, m -> masked(m.group(2)) ? m.group() : m.group(1) + MASK);
            out.add(c.text);
            count += c.count;
        }
        return new Redacted(out, count);
    }

    /** Masks secrets in one piece of text. */
    public String redact(String text) {
        return String.join("\n", redact(List.of(text.split("\n", -1))).lines());
    }

    /** A value that is already masked (ours, or GitHub's {@code ***}), or empty. */
    private static boolean masked(String value) {
        String v = value.replace("\"", "").replace("'", "");
        return v.isEmpty() || v.equals(MASK) || v.equals("***") || v.startsWith(MASK);
    }

    /** A line and the number of replacements made in it. */
    private static final class Counted {
        String text;
        int count;

        Counted(String text) {
            this.text = text;
        }

        void replaceAll(Pattern p, java.util.function.Function<Matcher, String> with) {
            Matcher m = p.matcher(text);
            if (!m.find()) {
                return;
            }
            StringBuilder sb = new StringBuilder();
            do {
                String replacement = with.apply(m);
                if (!replacement.equals(m.group())) {
                    count++;
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
            } while (m.find());
            m.appendTail(sb);
            text = sb.toString();
        }
    }
}

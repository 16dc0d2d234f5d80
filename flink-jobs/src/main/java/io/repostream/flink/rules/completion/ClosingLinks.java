package io.repostream.flink.rules.completion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The issues a pull request or commit says it works on.
 *
 * <p>Strong links are GitHub's closing keywords ("Linking a pull request to an issue using a
 * keyword", docs.github.com): {@code close}, {@code closes}, {@code closed}, {@code fix}, {@code
 * fixes}, {@code fixed}, {@code resolve}, {@code resolves}, {@code resolved}, in any case, with an
 * optional colon, before {@code #12}, {@code owner/repo#12} or the issue's URL; one keyword per
 * issue, as GitHub reads them ({@code Fixes #1, fixes #2}). Weak links are {@code refs #12} ({@code
 * ref}, {@code references}) and a branch named for the issue ({@code 12-fix-login}, {@code
 * fix/12-login}, {@code issue-12}).
 */
public final class ClosingLinks {
    private ClosingLinks() {}

    /** How a link was written. */
    public enum Form {
        KEYWORD(true),
        REFERENCE(false),
        BRANCH_NAME(false);

        private final boolean strong;

        Form(boolean strong) {
            this.strong = strong;
        }

        public boolean strong() {
            return strong;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One issue a text links to.
     *
     * @param repo lowercase {@code owner/repo} of the issue
     * @param number the issue
     * @param form how the link was written
     */
    public record Link(String repo, long number, Form form) {
        public String ref() {
            return repo + "#" + number;
        }
    }

    private static final String TARGET =
            "(?:https?://github\\.com/(?<urlrepo>[\\w.-]+/[\\w.-]+)/issues/(?<urlnum>\\d+)\\b"
                    + "|(?<repo>[\\w.-]+/[\\w.-]+)?#(?<num>\\d+)\\b)";

    private static final Pattern KEYWORD =
            Pattern.compile(
                    "(?<![\\w-])(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\\s+" + TARGET,
                    Pattern.CASE_INSENSITIVE);

    private static final Pattern REFERENCE =
            Pattern.compile(
                    "(?<![\\w-])(?:refs?|references?):?\\s+" + TARGET, Pattern.CASE_INSENSITIVE);

    /** {@code 12-fix-login}, {@code fix/12-login}, {@code 12}: a number starting a segment. */
    private static final Pattern BRANCH_NUMBER = Pattern.compile("(?:^|/)(\\d+)(?:[-_/]|$)");

    /** {@code issue-12}, {@code issues/12}, {@code gh-12}. */
    private static final Pattern BRANCH_ISSUE =
            Pattern.compile(
                    "(?:^|[/_-])(?:issues?|gh)[-_/]?(\\d+)(?:[-_/]|$)", Pattern.CASE_INSENSITIVE);

    /**
     * The links in {@code text} (a title, body or commit message) written in {@code repo}; a link
     * to the same issue written twice counts once, as its strongest form.
     */
    public static List<Link> inText(String text, String repo) {
        Map<String, Link> links = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        find(KEYWORD, text, repo, Form.KEYWORD, links);
        find(REFERENCE, text, repo, Form.REFERENCE, links);
        return List.copyOf(links.values());
    }

    /** The issue a branch is named for ({@code refs/heads/} is dropped), if any: a weak link. */
    public static List<Link> inBranch(String branch, String repo) {
        if (branch == null) {
            return List.of();
        }
        String name = branch.startsWith("refs/heads/") ? branch.substring(11) : branch;
        for (Pattern p : List.of(BRANCH_ISSUE, BRANCH_NUMBER)) {
            Matcher m = p.matcher(name);
            if (m.find()) {
                long number = number(m.group(1));
                if (number > 0) {
                    return List.of(new Link(repo, number, Form.BRANCH_NAME));
                }
            }
        }
        return List.of();
    }

    /** Both lists, an issue linked in both once, as its strongest form. */
    public static List<Link> merge(List<Link> a, List<Link> b) {
        Map<String, Link> links = new LinkedHashMap<>();
        for (Link link : a) {
            keep(links, link);
        }
        for (Link link : b) {
            keep(links, link);
        }
        return List.copyOf(links.values());
    }

    private static void find(
            Pattern pattern, String text, String repo, Form form, Map<String, Link> links) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            String target = m.group("urlrepo") != null ? m.group("urlrepo") : m.group("repo");
            String num = m.group("urlnum") != null ? m.group("urlnum") : m.group("num");
            long number = number(num);
            if (number <= 0) {
                continue;
            }
            String in = target == null ? repo : target.toLowerCase(Locale.ROOT);
            keep(links, new Link(in, number, form));
        }
    }

    private static void keep(Map<String, Link> links, Link link) {
        Link had = links.get(link.ref());
        if (had == null || (!had.form().strong() && link.form().strong())) {
            links.put(link.ref(), link);
        }
    }

    private static long number(String digits) {
        if (digits == null || digits.length() > 12) {
            return 0;
        }
        return Long.parseLong(digits);
    }

    /** The links of {@code links} to issues in another repository of the same owner or in it. */
    public static List<Link> sameOwner(List<Link> links, String repo) {
        String owner = repo.substring(0, repo.indexOf('/') + 1);
        List<Link> kept = new ArrayList<>();
        for (Link link : links) {
            if (link.repo().startsWith(owner)) {
                kept.add(link);
            }
        }
        return kept;
    }
}

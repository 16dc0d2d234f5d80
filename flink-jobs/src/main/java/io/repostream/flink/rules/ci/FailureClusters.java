package io.repostream.flink.rules.ci;

import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Groups failure texts that no signature knows, so that an unknown failure that keeps coming back
 * is one cluster ({@code u-3fa2c1d0}) with a count, not a hundred unknowns. Texts are normalised
 * first, with RE2 (linear time on any text): timestamps, hashes, UUIDs, numbers, temporary and
 * absolute paths, quoted values become placeholders), then compared as sets of words: a text joins
 * the most similar cluster when the Jaccard similarity of their words is at least {@link
 * #SIMILARITY}, else it starts a new one. A cluster's id is a hash of its first member's normalised
 * text, so the same failure gets the same id in every workflow and after a restart.
 */
public final class FailureClusters {
    /** Words two texts share over the words either has, for them to be one cluster. */
    public static final double SIMILARITY = 0.6;

    /** Clusters kept per workflow; the least recently seen goes first. */
    public static final int MAX_CLUSTERS = 50;

    /** Words of a text that are compared. */
    static final int MAX_WORDS = 64;

    private static final List<Replacement> NORMALISE =
            List.of(
                    new Replacement(
                            "(?i)\\d{4}-\\d\\d-\\d\\d[t ]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d+)?(?:z|[+-]\\d\\d:?\\d\\d)?",
                            " <time> "),
                    new Replacement(
                            "\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b",
                            " <uuid> "),
                    new Replacement("\\b(?:0x)?[0-9a-f]{7,}\\b", " <hex> "),
                    new Replacement("(?:/tmp|/var/folders|[a-z]:\\\\temp)[^\\s'\"]*", " <tmp> "),
                    // a path keeps its last part: the file says more than where it was checked out
                    new Replacement("(?:[\\w.~-]*/)+([\\w.-]+)", " $1 "),
                    new Replacement("\"[^\"]{0,200}\"|'[^']{0,200}'", " <str> "),
                    new Replacement("\\d+(?:\\.\\d+)*", "<n>"));

    private static final Pattern WORD = Pattern.compile("[^a-z<>_]+");

    /**
     * A cluster: its id, a representative set of words, how many failures joined it.
     *
     * @param words the words of its first member, normalised
     */
    public record Cluster(String id, List<String> words, int count) {}

    private FailureClusters() {}

    /** {@code text} with its variable parts replaced by placeholders, lower case. */
    public static String normalise(String text) {
        String s = text.toLowerCase(Locale.ROOT);
        for (Replacement r : NORMALISE) {
            s = r.pattern.matcher(s).replaceAll(r.with);
        }
        return s.replaceAll("\\s+", " ").trim();
    }

    /** The distinct words of a normalised text, at most {@link #MAX_WORDS}. */
    public static Set<String> words(String normalised) {
        Set<String> words = new LinkedHashSet<>();
        for (String w : WORD.split(normalised)) {
            if (w.length() > 1 && words.size() < MAX_WORDS) {
                words.add(w);
            }
        }
        return words;
    }

    /** Jaccard similarity of two word sets (0 when both are empty). */
    static double similarity(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 0;
        }
        int shared = 0;
        for (String w : a) {
            if (b.contains(w)) {
                shared++;
            }
        }
        return (double) shared / (a.size() + b.size() - shared);
    }

    /** The result of assigning a text: the updated clusters and the cluster it joined. */
    public record Assigned(List<Cluster> clusters, Cluster cluster) {}

    /**
     * Puts {@code text} into the most similar of {@code clusters} or a new one; the joined cluster
     * moves to the end (most recently seen), and the oldest beyond {@link #MAX_CLUSTERS} go.
     */
    public static Assigned assign(List<Cluster> clusters, String text) {
        String normalised = normalise(text);
        Set<String> words = words(normalised);
        int best = -1;
        double bestSimilarity = 0;
        for (int i = 0; i < clusters.size(); i++) {
            double sim = similarity(words, new LinkedHashSet<>(clusters.get(i).words()));
            if (sim >= SIMILARITY && sim > bestSimilarity) {
                best = i;
                bestSimilarity = sim;
            }
        }
        List<Cluster> next = new ArrayList<>(clusters);
        Cluster joined;
        if (best >= 0) {
            Cluster c = next.remove(best);
            joined = new Cluster(c.id(), c.words(), c.count() + 1);
        } else {
            joined = new Cluster(id(normalised), List.copyOf(words), 1);
        }
        next.add(joined);
        while (next.size() > MAX_CLUSTERS) {
            next.remove(0);
        }
        return new Assigned(List.copyOf(next), joined);
    }

    private static String id(String normalised) {
        CRC32 crc = new CRC32();
        crc.update(normalised.getBytes(StandardCharsets.UTF_8));
        return String.format(Locale.ROOT, "u-%08x", crc.getValue());
    }

    private record Replacement(Pattern pattern, String with) {
        Replacement(String regex, String with) {
            this(Pattern.compile(regex), with);
        }
    }
}

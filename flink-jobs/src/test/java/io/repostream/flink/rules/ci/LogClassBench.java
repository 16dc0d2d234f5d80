package io.repostream.flink.rules.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Accuracy of the failure classes ({@link FailureClassifier}) and of the clusters of unknown
 * failures ({@link FailureClusters}) on real CI failure logs: the excerpts the executor's cutter
 * made of LogChunks' 797 Travis CI logs ({@code LogExcerptBench} writes them), against a class per
 * LogChunks failure category labelled by hand ({@code bench.labels}), and the clusters against the
 * categories LogChunks' authors gave the failures of each repository. Run by {@code
 * flink-jobs/bench/logs/run.sh}; surefire runs it only when named.
 */
class LogClassBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXCERPTS =
            Path.of(System.getProperty("bench.excerpts", "target/log-excerpts.jsonl"));
    private static final Path LABELS =
            Path.of(System.getProperty("bench.labels", "bench/logs/labels.tsv"));
    private static final Path REPORT =
            Path.of(System.getProperty("bench.report", "target/log-class-bench.txt"));

    private static final List<String> CLASSES =
            List.of("transient", "dependency", "permanent", "unknown");

    private record Case(String set, String category, String truth, String chunk, String excerpt) {}

    private final FailureClassifier classifier = new FailureClassifier();

    @Test
    void classAndClusterAccuracyOnLabelledRealLogs() throws Exception {
        Map<String, String> labels = new HashMap<>();
        for (String line : Files.readAllLines(LABELS)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            labels.put(f[0] + "\t" + f[1], f[2]);
        }
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(EXCERPTS)) {
            JsonNode row = JSON.readTree(line);
            String set = row.path("set").asText();
            String category = row.path("category").asText();
            String truth = labels.get(set + "\t" + category);
            if (truth == null) {
                throw new IllegalStateException("no label for " + set + " category " + category);
            }
            cases.add(
                    new Case(
                            set,
                            category,
                            truth,
                            row.path("chunk").asText(),
                            row.path("excerpt").asText()));
        }
        StringBuilder report = new StringBuilder();
        report.append(classes("on the executor's excerpts", cases, Case::excerpt));
        report.append(classes("on the labelled chunks (a perfect excerpt)", cases, Case::chunk));
        report.append(clusters("excerpts", cases, Case::excerpt));
        report.append(clusters("labelled chunks", cases, Case::chunk));
        Files.writeString(REPORT, report.toString());
        System.out.print(report);
    }

    private String classes(String what, List<Case> cases, Function<Case, String> text) {
        Map<String, Map<String, Integer>> confusion = new TreeMap<>();
        int correct = 0;
        int retryDecisionsRight = 0;
        long started = System.nanoTime();
        for (Case c : cases) {
            String got =
                    classifier.classify(c.set(), "failure", text.apply(c), Map.of()).wireName();
            confusion.computeIfAbsent(c.truth(), k -> new TreeMap<>()).merge(got, 1, Integer::sum);
            if (got.equals(c.truth())) {
                correct++;
            }
            boolean retry = got.equals("transient") || got.equals("dependency");
            boolean shouldRetry = !c.truth().equals("permanent");
            if (retry == shouldRetry) {
                retryDecisionsRight++;
            }
        }
        double ms = (System.nanoTime() - started) / 1e6;
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "Classes %s: %d logs, accuracy %.3f (unknown counts as wrong); re-run"
                                + " decision (re-run transient/dependency, not permanent/unknown)"
                                + " right %.3f; %.2f ms per log%n",
                        what,
                        cases.size(),
                        (double) correct / cases.size(),
                        (double) retryDecisionsRight / cases.size(),
                        ms / cases.size()));
        sb.append("  truth \\ classified  ").append(String.join("  ", CLASSES)).append('\n');
        for (String truth : List.of("transient", "dependency", "permanent")) {
            Map<String, Integer> row = confusion.getOrDefault(truth, Map.of());
            int total = row.values().stream().mapToInt(Integer::intValue).sum();
            sb.append(String.format(Locale.ROOT, "  %-10s (%3d)", truth, total));
            for (String got : CLASSES) {
                sb.append(String.format(Locale.ROOT, "  %9d", row.getOrDefault(got, 0)));
            }
            int tp = row.getOrDefault(truth, 0);
            int predicted =
                    confusion.values().stream().mapToInt(r -> r.getOrDefault(truth, 0)).sum();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "   recall %.3f precision %s%n",
                            total == 0 ? 0 : (double) tp / total,
                            predicted == 0
                                    ? "n/a"
                                    : String.format(Locale.ROOT, "%.3f", (double) tp / predicted)));
        }
        return sb.toString();
    }

    /**
     * Clusters each repository's failures in log order, as the job would per workflow, and compares
     * them with LogChunks' categories: pairwise precision (two failures in one cluster share a
     * category) and recall (two failures of one category share a cluster).
     */
    private String clusters(String what, List<Case> cases, Function<Case, String> text) {
        Map<String, List<Case>> bySet = new LinkedHashMap<>();
        cases.forEach(c -> bySet.computeIfAbsent(c.set(), k -> new ArrayList<>()).add(c));
        long samePairs = 0;
        long sameBoth = 0;
        long categoryPairs = 0;
        int clusters = 0;
        int categories = 0;
        for (List<Case> set : bySet.values()) {
            List<FailureClusters.Cluster> state = List.of();
            List<String> ids = new ArrayList<>();
            for (Case c : set) {
                FailureClusters.Assigned a = FailureClusters.assign(state, text.apply(c));
                state = a.clusters();
                ids.add(a.cluster().id());
            }
            clusters += (int) ids.stream().distinct().count();
            categories += (int) set.stream().map(Case::category).distinct().count();
            for (int i = 0; i < set.size(); i++) {
                for (int j = i + 1; j < set.size(); j++) {
                    boolean sameCluster = ids.get(i).equals(ids.get(j));
                    boolean sameCategory = set.get(i).category().equals(set.get(j).category());
                    if (sameCluster) {
                        samePairs++;
                    }
                    if (sameCategory) {
                        categoryPairs++;
                    }
                    if (sameCluster && sameCategory) {
                        sameBoth++;
                    }
                }
            }
        }
        double p = samePairs == 0 ? 0 : (double) sameBoth / samePairs;
        double r = categoryPairs == 0 ? 0 : (double) sameBoth / categoryPairs;
        return String.format(
                Locale.ROOT,
                "Clusters of %s, per repository: %d clusters for %d categories; pairwise precision"
                        + " %.3f, recall %.3f, F1 %.3f%n",
                what,
                clusters,
                categories,
                p,
                r,
                p + r == 0 ? 0 : 2 * p * r / (p + r));
    }
}

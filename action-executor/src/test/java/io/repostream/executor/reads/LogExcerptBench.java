package io.repostream.executor.reads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * How much of the lines a person marked as the cause of a CI failure the executor's excerpt keeps
 * ({@link LogExcerpt}), on real build logs: LogChunks' 797 Travis CI logs with their labelled
 * failure chunk, and CiDiff's breakages (Jenkins logs with their ground-truth error lines). Run by
 * {@code flink-jobs/bench/logs/run.sh} (surefire runs it only when named); the data stays outside
 * the project ({@code -Dbench.data}). Writes each LogChunks excerpt to {@code bench.out} for the
 * classifier's half of the bench.
 */
class LogExcerptBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]|\u001B\\(B");
    private static final Path DATA = Path.of(System.getProperty("bench.data", "target/logs-bench"));
    private static final Path OUT =
            Path.of(System.getProperty("bench.out", "target/log-excerpts.jsonl"));
    private static final Path REPORT =
            Path.of(System.getProperty("bench.report", "target/log-excerpt-bench.txt"));

    /** Line overlap of one excerpt with its truth. */
    private record Score(double recall, double precision, boolean any, boolean all) {}

    private final LogExcerpt cutter = new LogExcerpt();

    @Test
    void excerptAccuracyOnLabelledRealLogs() throws Exception {
        List<String> report = new ArrayList<>();
        report.add(logChunks());
        report.add(ciDiff());
        String text = String.join("\n", report) + "\n";
        Files.writeString(REPORT, text);
        System.out.print(text);
    }

    private String logChunks() throws IOException {
        JsonNode cases = JSON.readTree(DATA.resolve("logchunks/cases.json").toFile());
        List<Score> scores = new ArrayList<>();
        long started = System.nanoTime();
        long bytes = 0;
        try (Writer out = Files.newBufferedWriter(OUT, StandardCharsets.UTF_8)) {
            for (JsonNode c : cases) {
                Path log = DATA.resolve("logchunks/tool/samples").resolve(c.path("path").asText());
                String text = tail(log);
                bytes += text.length();
                LogExcerpt.Excerpt e = cutter.cut(text, Files.size(log) > JobLogRead.MAX_LOG_BYTES);
                scores.add(score(lines(c.path("output").asText()), e.lines()));
                ObjectNode row = JSON.createObjectNode();
                row.put("set", c.path("set").asText());
                row.put("category", c.path("category").asText());
                row.put("path", c.path("path").asText());
                row.put("chunk", c.path("output").asText());
                row.put("excerpt", e.text());
                e.failedTests().forEach(row.putArray("failed_tests")::add);
                out.write(JSON.writeValueAsString(row));
                out.write('\n');
            }
        }
        double ms = (System.nanoTime() - started) / 1e6;
        return summary("LogChunks (Travis CI, 80 repositories)", scores)
                + String.format(
                        Locale.ROOT,
                        "  time: %.0f ms for %d logs (%.1f MB of log text), %.2f ms per log%n",
                        ms,
                        scores.size(),
                        bytes / 1e6,
                        ms / scores.size());
    }

    private String ciDiff() throws IOException {
        Path root = DATA.resolve("cidiff/data/breakages");
        List<Score> scores = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                Path fail = dir.resolve("fail.log");
                Path truth = dir.resolve("groundtruth");
                if (!Files.exists(fail) || !Files.exists(truth)) {
                    continue;
                }
                List<String> log =
                        List.of(
                                new String(Files.readAllBytes(fail), StandardCharsets.UTF_8)
                                        .split("\r?\n", -1));
                List<String> expected = new ArrayList<>();
                for (String range : Files.readAllLines(truth)) {
                    String r = range.trim();
                    // "E 18-61" (error lines) or a bare "18-61"; "C ..." context lines are not the
                    // error
                    if (r.startsWith("E")) {
                        r = r.substring(1).trim();
                    }
                    if (r.isEmpty() || !Character.isDigit(r.charAt(0))) {
                        continue;
                    }
                    String[] ends = r.split("-");
                    int from = Integer.parseInt(ends[0].trim());
                    int to = ends.length > 1 ? Integer.parseInt(ends[1].trim()) : from;
                    for (int i = from; i <= to && i <= log.size(); i++) {
                        expected.add(log.get(i - 1));
                    }
                }
                LogExcerpt.Excerpt e = cutter.cut(tail(fail), false);
                scores.add(score(lines(String.join("\n", expected)), e.lines()));
            }
        }
        return summary("CiDiff breakages (Jenkins, Java projects)", scores);
    }

    private static String tail(Path log) throws IOException {
        byte[] all = Files.readAllBytes(log);
        int from = Math.max(0, all.length - JobLogRead.MAX_LOG_BYTES);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    /** Non-blank lines, colours removed, trimmed: how the excerpt keeps them. */
    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\r?\n|\r")) {
            String s = ANSI.matcher(l).replaceAll("").strip();
            if (!s.isEmpty()) {
                out.add(
                        s.length() > LogExcerpt.MAX_LINE_CHARS
                                ? s.substring(0, LogExcerpt.MAX_LINE_CHARS)
                                : s);
            }
        }
        return out;
    }

    private static Score score(List<String> truth, List<String> excerpt) {
        Set<String> kept = new HashSet<>();
        for (String l : excerpt) {
            kept.add(l.endsWith("…") ? l.substring(0, l.length() - 1) : l);
        }
        if (truth.isEmpty()) {
            return new Score(0, 0, false, false);
        }
        int found = 0;
        for (String t : truth) {
            if (kept.contains(t)) {
                found++;
            }
        }
        Set<String> truthSet = new HashSet<>(truth);
        int relevant = 0;
        for (String l : kept) {
            if (truthSet.contains(l)) {
                relevant++;
            }
        }
        return new Score(
                (double) found / truth.size(),
                kept.isEmpty() ? 0 : (double) relevant / kept.size(),
                found > 0,
                found == truth.size());
    }

    private static String summary(String name, List<Score> scores) {
        double recall = scores.stream().mapToDouble(Score::recall).average().orElse(0);
        double precision = scores.stream().mapToDouble(Score::precision).average().orElse(0);
        long any = scores.stream().filter(Score::any).count();
        long all = scores.stream().filter(Score::all).count();
        return String.format(
                Locale.ROOT,
                "%s: %d logs%n"
                        + "  excerpt keeps at least one labelled line: %d (%.1f %%)%n"
                        + "  excerpt keeps every labelled line: %d (%.1f %%)%n"
                        + "  mean share of labelled lines kept (recall): %.3f%n"
                        + "  mean share of excerpt lines that are labelled (precision): %.3f%n",
                name,
                scores.size(),
                any,
                100.0 * any / scores.size(),
                all,
                100.0 * all / scores.size(),
                recall,
                precision);
    }
}

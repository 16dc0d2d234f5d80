package io.repostream.flink.prediction;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.rules.Policies;
import io.repostream.ml.data.CsvTable;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.Prediction;
import io.repostream.schemas.TrainingExample;
import io.repostream.schemas.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * Replays a TravisTorrent export through the online predictor ({@link CiSuccessPredictor}, in
 * Flink's operator test harness), so that its training examples carry feature set {@value
 * CiFeatures#FEATURE_SET} computed by the job's own code from real build history: the trainer's
 * {@code --training-examples} then measures the online feature set on it (ml-training/README.md).
 *
 * <p>One build per {@code tr_build_id} (the other rows are its further jobs). A push build becomes
 * a {@code workflow_run} requested at {@code gh_build_started_at}; a pull request build ({@code
 * gh_is_pr}) a {@code pull_request} synchronize of {@code gh_pull_req_num} with {@code commits} =
 * {@code gh_num_commits_in_push}, {@code changed_files} = files added + deleted + modified, and a
 * diff of {@code git_diff_src_churn + git_diff_test_churn} lines. Its outcome is a {@code
 * workflow_run} completed at start + {@code tr_duration}: {@code passed} = success, {@code failed},
 * {@code errored} = failure, anything else (canceled) teaches nothing, as online. Events go in time
 * order, triggers before outcomes at the same instant. Nothing of the outcome reaches a trigger.
 *
 * <p>What TravisTorrent does not have is left out of the examples rather than faked, so a model
 * trained on them never weighs a feature it only saw as a constant: {@link #NOT_IN_TRAVISTORRENT}
 * (no author login, no reviews, one build configuration per project, no re-run attempts, and the
 * churn is added + deleted lines together, so only {@code log_diff_size} of the diff is kept).
 * {@code same_committer_as_last_build} and {@code hours_to_approval} are never computed without
 * authors and reviews.
 *
 * <p>Run: {@code TravisTorrentReplay <travistorrent.csv> <examples.jsonl>} on flink-jobs' test
 * classpath (module README of ml-training has the command).
 */
public final class TravisTorrentReplay {
    /** Computed by the online code, but not knowable from TravisTorrent: dropped. */
    static final Set<String> NOT_IN_TRAVISTORRENT =
            Set.of(
                    CiFeatures.ADDITIONS,
                    CiFeatures.DELETIONS,
                    CiFeatures.LOG_AUTHOR_BUILDS,
                    CiFeatures.AUTHOR_RECENT_FAILURE_RATE,
                    CiFeatures.AUTHOR_FAILURE_RATE,
                    CiFeatures.REVIEW_COUNT,
                    CiFeatures.RUN_ATTEMPT,
                    CiFeatures.WORKFLOW_ID);

    /** One build configuration per Travis project. */
    private static final long WORKFLOW_ID = 1;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private TravisTorrentReplay() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: TravisTorrentReplay <travistorrent.csv> <examples.jsonl>");
            System.exit(2);
        }
        List<TrainingExample> examples = replay(CsvTable.read(Path.of(args[0])));
        List<String> lines = new ArrayList<>();
        for (TrainingExample e : examples) {
            lines.add(
                    new String(
                            Topics.TRAINING_EXAMPLES.valueCodec().encode(e),
                            StandardCharsets.UTF_8));
        }
        Files.write(Path.of(args[1]), lines);
        long failed = examples.stream().filter(e -> !e.success()).count();
        System.out.printf(
                Locale.ROOT,
                "%d training examples (%d failed) of feature set %s written to %s%n",
                examples.size(),
                failed,
                CiFeatures.FEATURE_SET,
                args[1]);
    }

    /** The training examples the predictor emits for the builds of {@code csv}. */
    static List<TrainingExample> replay(CsvTable csv) throws Exception {
        List<Timed> events = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (CsvTable.Row row : csv.rows()) {
            Map<String, String> r = cells(csv, row);
            if (!seen.add(r.get("tr_build_id"))) {
                continue; // another job of a build already read
            }
            events.addAll(build(r, csv.file() + " line " + row.line()));
        }
        // stable: triggers were added before their outcome; at one instant triggers go first
        events.sort(Comparator.comparing(Timed::at).thenComparing(Timed::outcome));
        try (KeyedBroadcastOperatorTestHarness<String, BuildSignal, PredictionControl, Prediction>
                harness =
                        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                                new CiSuccessPredictor(),
                                BuildSignal::repo,
                                Types.STRING,
                                CiSuccessPredictor.MODELS,
                                Policies.DESCRIPTOR)) {
            for (Timed t : events) {
                BuildSignal signal = BuildSignals.of(t.event());
                if (signal == null) {
                    throw new IllegalStateException(t.ref() + ": not an event the predictor reads");
                }
                harness.processElement(signal, t.at().toEpochMilli());
            }
            var out = harness.getSideOutput(CiSuccessPredictor.TRAINING_EXAMPLES);
            if (out == null) {
                return List.of();
            }
            return out.stream()
                    .map(StreamRecord::getValue)
                    .map(TravisTorrentReplay::known)
                    .toList();
        }
    }

    /** The example with only the features TravisTorrent can really give. */
    private static TrainingExample known(TrainingExample e) {
        Map<String, Double> features = new LinkedHashMap<>(e.features());
        features.keySet().removeAll(NOT_IN_TRAVISTORRENT);
        return new TrainingExample(
                e.exampleId(),
                e.repo(),
                e.subjectType(),
                e.subjectId(),
                e.featureSet(),
                features,
                e.success(),
                e.conclusion(),
                e.featuresAt(),
                e.completedAt());
    }

    private record Timed(Instant at, boolean outcome, GitHubEvent event, String ref) {}

    private static List<Timed> build(Map<String, String> r, String ref) {
        String repo = r.get("gh_project_name").toLowerCase(Locale.ROOT);
        long buildId = Long.parseLong(r.get("tr_build_id"));
        Instant started = time(r.get("gh_build_started_at"), ref);
        String duration = r.get("tr_duration");
        Instant finished =
                duration.isBlank() ? started : started.plusSeconds(Long.parseLong(duration));
        String sha = "travis-build-" + buildId;
        boolean pr = "true".equalsIgnoreCase(r.get("gh_is_pr"));
        long number = pr ? Long.parseLong(r.get("gh_pull_req_num")) : 0;
        GitHubEvent trigger =
                pr
                        ? pullRequestPush(repo, number, sha, r, started, buildId)
                        : run("requested", repo, buildId, sha, 0, null, started);
        String conclusion =
                switch (r.get("tr_status").toLowerCase(Locale.ROOT)) {
                    case "passed" -> "success";
                    case "failed", "errored" -> "failure";
                    default -> "cancelled";
                };
        GitHubEvent outcome = run("completed", repo, buildId, sha, number, conclusion, finished);
        return List.of(
                new Timed(started, false, trigger, ref), new Timed(finished, true, outcome, ref));
    }

    private static GitHubEvent run(
            String action,
            String repo,
            long runId,
            String sha,
            long pr,
            String conclusion,
            Instant at) {
        ObjectNode payload = JSON.objectNode().put("action", action);
        ObjectNode run =
                payload.putObject("workflow_run")
                        .put("id", runId)
                        .put("run_attempt", 1)
                        .put("workflow_id", WORKFLOW_ID)
                        .put("head_sha", sha)
                        .put("status", "completed".equals(action) ? "completed" : "queued");
        if (conclusion == null) {
            run.putNull("conclusion");
        } else {
            run.put("conclusion", conclusion);
        }
        if (pr > 0) {
            run.putArray("pull_requests").addObject().put("number", pr);
        }
        payload.putObject("repository").put("full_name", repo);
        return event("workflow_run", action, repo, payload, at, "travis-" + runId + "-" + action);
    }

    private static GitHubEvent pullRequestPush(
            String repo, long number, String sha, Map<String, String> r, Instant at, long buildId) {
        ObjectNode payload = JSON.objectNode().put("action", "synchronize");
        ObjectNode pr = payload.putObject("pull_request").put("number", number);
        putCount(pr, "commits", r.get("gh_num_commits_in_push"));
        Long churn = sum(r.get("git_diff_src_churn"), r.get("git_diff_test_churn"));
        if (churn != null) {
            // only the sum is known: it yields log_diff_size; additions/deletions are dropped
            pr.put("additions", churn).put("deletions", 0);
        }
        Long files =
                sum(
                        r.get("gh_diff_files_added"),
                        r.get("gh_diff_files_deleted"),
                        r.get("gh_diff_files_modified"));
        if (files != null) {
            pr.put("changed_files", files);
        }
        String created = r.get("gh_pr_created_at");
        if (!created.isBlank()) {
            pr.put("created_at", time(created, repo + "#" + number).toString());
        }
        pr.putObject("head").put("sha", sha);
        payload.putObject("repository").put("full_name", repo);
        return event("pull_request", "synchronize", repo, payload, at, "travis-" + buildId + "-pr");
    }

    private static GitHubEvent event(
            String type, String action, String repo, ObjectNode payload, Instant at, String id) {
        return new GitHubEvent(
                id, EventSource.WEBHOOK, type, action, repo, null, null, at, at, payload);
    }

    private static void putCount(ObjectNode node, String field, String value) {
        Long n = sum(value);
        if (n != null) {
            node.put(field, n);
        }
    }

    /** The sum of the non-blank values, or null when all are blank. */
    private static Long sum(String... values) {
        Long total = null;
        for (String v : values) {
            if (v != null && !v.isBlank() && !v.equalsIgnoreCase("NA")) {
                total = (total == null ? 0 : total) + Long.parseLong(v.strip());
            }
        }
        return total;
    }

    private static Instant time(String value, String ref) {
        try {
            return LocalDateTime.parse(value.strip().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(ref + ": '" + value + "' is not a timestamp", e);
        }
    }

    private static Map<String, String> cells(CsvTable csv, CsvTable.Row row) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < csv.header().size(); i++) {
            out.put(csv.header().get(i), row.cells()[i]);
        }
        return out;
    }

    /** For callers that hold the text: {@code replay(CsvTable.parse(...))}. */
    static List<TrainingExample> replay(String file, String text) throws Exception {
        try (var in = new java.io.StringReader(text)) {
            return replay(CsvTable.parse(file, in));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}

package io.repostream.bridge.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.bridge.metrics.BridgeMetrics;
import io.repostream.schemas.GitHubEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs of a failed workflow run, as the {@code workflow_job} events its webhooks would have
 * brought. Polling sees runs only ({@code /actions/runs}), and a run says that it failed, not
 * where: the CI failure classifier reads the failed job's name and its failed steps' names from
 * {@code workflow_job} payloads. So for each newly completed run that failed, the poller reads
 * {@code GET .../actions/runs/{run_id}/jobs} (conditionally; within the poll's rate budget) and
 * writes each completed job as a {@code workflow_job} {@code completed} event before the run's own
 * event, in the order webhooks arrive.
 */
final class RunJobs {
    private static final Logger LOG = LoggerFactory.getLogger(RunJobs.class);

    /** The conclusions the classifier counts as failures; only these runs cost a read. */
    static final Set<String> FAILED = Set.of("failure", "timed_out", "startup_failure");

    private final EventsFeed feed;
    private final CachedReads reads;
    private final BridgeMetrics metrics;

    RunJobs(EventsFeed feed, CachedReads reads, BridgeMetrics metrics) {
        this.feed = feed;
        this.reads = reads;
        this.metrics = metrics;
    }

    /**
     * {@code runs} (oldest first) with each failed run's completed jobs just before it; null when a
     * run's jobs have to wait for the next poll (then none of them may be written). A run whose
     * jobs GitHub no longer has, or refuses for good, is written without them.
     */
    List<GitHubEvent> withFailedJobs(
            String repo, List<GitHubEvent> runs, PollRound round, Instant receivedAt) {
        List<GitHubEvent> events = new ArrayList<>();
        for (GitHubEvent run : runs) {
            JsonNode workflowRun = run.payload().path("workflow_run");
            if (!"completed".equals(run.action())
                    || !FAILED.contains(workflowRun.path("conclusion").asText(""))) {
                events.add(run);
                continue;
            }
            long runId = workflowRun.path("id").asLong();
            CachedReads.Answer answer =
                    reads.read(
                            "jobs of run " + runId,
                            EventsFeed.runJobsPath(repo, runId),
                            round,
                            etag -> feed.fetchRunJobs(repo, runId, etag));
            if (answer == null
                    || (!answer.ok()
                            && (answer.rateLimited()
                                    || answer.status() >= 500
                                    || answer.status() == 0))) {
                metrics.pollCompletion("jobs", "failed");
                LOG.warn(
                        "polling {}: cannot read the jobs of failed run {} now ({}); the runs are"
                                + " read again at the next poll",
                        repo,
                        runId,
                        answer == null ? "not asked" : "GitHub answered " + answer.status());
                return null;
            }
            if (!answer.ok()) {
                boolean gone = answer.status() == 404 || answer.status() == 410;
                metrics.pollCompletion("jobs", gone ? "gone" : "unavailable");
                LOG.warn(
                        "polling {}: the jobs of failed run {} answered {}; the run is written"
                                + " without them",
                        repo,
                        runId,
                        answer.status());
                events.add(run);
                continue;
            }
            metrics.pollCompletion("jobs", answer.notModified() ? "not_modified" : "fetched");
            int attempt = workflowRun.path("run_attempt").asInt(0);
            for (JsonNode job : answer.body()) {
                if (!"completed".equals(job.path("status").asText())
                        || (attempt > 0 && job.path("run_attempt").asInt(attempt) != attempt)) {
                    continue;
                }
                try {
                    events.add(PolledEvents.workflowJob(run, job, receivedAt));
                } catch (RuntimeException e) {
                    LOG.warn(
                            "skipping an unreadable job of run {} of {}: {}",
                            runId,
                            repo,
                            e.getMessage());
                    metrics.polledEvent("unreadable");
                }
            }
            events.add(run);
        }
        return events;
    }
}

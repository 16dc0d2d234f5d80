package io.repostream.flink.rules.ci;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.flink.rules.commands.RepoPermission;
import io.repostream.flink.rules.commands.SlashCommand;
import io.repostream.flink.rules.commands.WorkflowRun;
import io.repostream.schemas.ActionType;
import java.util.List;

/**
 * {@code /retest}, declared by the CI retry rule (section {@code ci:}): re-runs the failed jobs
 * ({@code rerun_failed_jobs}) of the pull request's latest failed workflow runs, one per workflow.
 * Needs write permission: GitHub's "Re-running workflows and jobs" says "People with write
 * permissions to a repository can re-run workflows in the repository".
 *
 * <p>The pull request's runs are kept by the command framework, keyed by the pull request ({@code
 * owner/repo#12}, {@link io.repostream.flink.rules.commands.CommandEvents}): the comment arrives
 * under that key, and Flink's keyed state is read under the current key only. The CI rules are
 * keyed by {@code owner/repo|workflow} and could answer only through a join; the framework keeps
 * one small entry per workflow of each pull request instead (the latest completed run, by run id
 * then attempt), for 30 days: GitHub re-runs a run up to 30 days after it first ran.
 */
public final class CiCommands {
    private CiCommands() {}

    public static final SlashCommand RETEST =
            new SlashCommand("retest", RepoPermission.WRITE, "/retest", CiCommands::retest)
                    .describedAs(
                            "Re-runs the failed jobs of the pull request's latest failed workflow"
                                    + " runs (pull requests only).");

    private static List<SlashCommand.Effect> retest(SlashCommand.Invocation inv) {
        if (!inv.args().isEmpty()) {
            throw new IllegalArgumentException("takes no arguments");
        }
        if (!inv.pullRequest()) {
            throw new IllegalArgumentException(
                    "workflow runs are re-run for pull requests only, and this is an issue");
        }
        List<WorkflowRun> failed = inv.latestRuns().stream().filter(WorkflowRun::failed).toList();
        if (failed.isEmpty()) {
            throw new IllegalArgumentException(
                    "no failed workflow run is known for this pull request (the latest run of"
                            + " each workflow passed, or GitHub named no pull request on them, as"
                            + " for pull requests from forks)");
        }
        return failed.stream()
                .map(
                        run ->
                                new SlashCommand.Effect(
                                        ActionType.RERUN_FAILED_JOBS,
                                        JsonNodeFactory.instance.objectNode(),
                                        "@"
                                                + inv.author()
                                                + " asked to re-run the failed jobs of "
                                                + run.workflow()
                                                + " (run "
                                                + run.id()
                                                + ", attempt "
                                                + run.attempt()
                                                + ")",
                                        run.id()))
                .toList();
    }
}

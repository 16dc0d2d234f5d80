package io.repostream.ml.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to read a TravisTorrent export without leaking the outcome. See the module README for the
 * reasoning per column; in short, only what is known when a build starts is a feature.
 */
public final class TravisTorrent {
    private TravisTorrent() {}

    /**
     * The preset's features: the push or PR itself, known before the build starts. Together with
     * the history features per branch and project (see {@link BuildHistory}) they did best on the
     * latest builds of the 3-project sample (module README).
     */
    public static final List<String> FEATURE_COLUMNS =
            List.of(
                    "gh_is_pr",
                    "gh_num_commits_in_push",
                    "git_diff_src_churn",
                    "git_diff_test_churn",
                    "gh_diff_files_modified",
                    "gh_by_core_team_member");

    /**
     * Also known before the build starts, but left out of the preset: they describe the project at
     * that time (size, test density, team) more than the change, so across a time split they teach
     * the model which project and era it is in, and did worse on later builds. Add them with {@code
     * --feature-columns}.
     */
    public static final List<String> MORE_PRE_BUILD_COLUMNS =
            List.of(
                    "gh_team_size",
                    "git_num_all_built_commits",
                    "gh_diff_files_added",
                    "gh_diff_files_deleted",
                    "gh_diff_tests_added",
                    "gh_diff_tests_deleted",
                    "gh_diff_src_files",
                    "gh_diff_doc_files",
                    "gh_diff_other_files",
                    "gh_num_commits_on_files_touched",
                    "gh_sloc",
                    "gh_test_lines_per_kloc",
                    "gh_test_cases_per_kloc",
                    "gh_asserts_cases_per_kloc",
                    "gh_description_complexity");

    /**
     * Never features: the outcome and everything measured while or after the build ran (tr_status,
     * tr_duration, tr_jobs, tr_log_*), identifiers that only encode time or position (tr_build_id,
     * tr_job_id, tr_build_number, tr_prev_build, gh_pull_req_num), and comment counts, which GitHub
     * counts at export time so they include comments written in reaction to the build.
     */
    public static final List<String> EXCLUDED_COLUMNS =
            List.of(
                    "tr_status",
                    "tr_duration",
                    "tr_jobs",
                    "tr_build_id",
                    "tr_build_number",
                    "tr_job_id",
                    "tr_prev_build",
                    "gh_pull_req_num",
                    "gh_num_issue_comments",
                    "gh_num_commit_comments",
                    "gh_num_pr_comments",
                    "tr_log_lan",
                    "tr_log_status",
                    "tr_log_setup_time",
                    "tr_log_analyzer",
                    "tr_log_frameworks",
                    "tr_log_bool_tests_ran",
                    "tr_log_bool_tests_failed",
                    "tr_log_num_tests_ok",
                    "tr_log_num_tests_failed",
                    "tr_log_num_tests_run",
                    "tr_log_num_tests_skipped",
                    "tr_log_tests_failed",
                    "tr_log_testduration",
                    "tr_log_buildduration");

    /** The TravisTorrent reading: one row per build, history per project and per branch. */
    public static CsvOptions options() {
        Map<String, List<String>> history = new LinkedHashMap<>();
        history.put("branch", List.of("gh_project_name", "git_branch"));
        history.put("project", List.of("gh_project_name"));
        return new CsvOptions(
                "tr_status",
                "gh_build_started_at",
                "tr_duration",
                "tr_build_id",
                FEATURE_COLUMNS,
                EXCLUDED_COLUMNS,
                List.of(),
                List.of(),
                history,
                Set.of("passed"),
                Set.of("failed", "errored"),
                false);
    }
}

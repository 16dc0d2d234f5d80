package io.repostream.ml;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Generates TravisTorrent-shaped CSVs with a learnable signal, for tests: a build fails more often
 * with more churn, with many files touched, and when the latest known build of its branch failed.
 * Outcome-derived columns (tr_status, tr_duration, tr_log_*) are filled consistently with the
 * outcome, as in the real export, so that a leaking feature would be noticed. Builds overlap in
 * time, and some builds have several job rows.
 */
public final class SyntheticBuilds {
    public static final List<String> HEADER =
            List.of(
                    "tr_build_id,gh_project_name,gh_is_pr,gh_pr_created_at,gh_pull_req_num,gh_lang,"
                            + "git_merged_with,git_branch,gh_num_commits_in_push,gh_commits_in_push,"
                            + "git_prev_commit_resolution_status,git_prev_built_commit,tr_prev_build,"
                            + "gh_first_commit_created_at,gh_team_size,git_all_built_commits,"
                            + "git_num_all_built_commits,git_trigger_commit,tr_virtual_merged_into,"
                            + "tr_original_commit,gh_num_issue_comments,gh_num_commit_comments,"
                            + "gh_num_pr_comments,git_diff_src_churn,git_diff_test_churn,"
                            + "gh_diff_files_added,gh_diff_files_deleted,gh_diff_files_modified,"
                            + "gh_diff_tests_added,gh_diff_tests_deleted,gh_diff_src_files,"
                            + "gh_diff_doc_files,gh_diff_other_files,gh_num_commits_on_files_touched,"
                            + "gh_sloc,gh_test_lines_per_kloc,gh_test_cases_per_kloc,"
                            + "gh_asserts_cases_per_kloc,gh_by_core_team_member,"
                            + "gh_description_complexity,gh_pushed_at,gh_build_started_at,tr_status,"
                            + "tr_duration,tr_jobs,tr_build_number,tr_job_id,tr_log_lan,tr_log_status,"
                            + "tr_log_setup_time,tr_log_analyzer,tr_log_frameworks,"
                            + "tr_log_bool_tests_ran,tr_log_bool_tests_failed,tr_log_num_tests_ok,"
                            + "tr_log_num_tests_failed,tr_log_num_tests_run,tr_log_num_tests_skipped,"
                            + "tr_log_tests_failed,tr_log_testduration,tr_log_buildduration");

    private static final Instant T0 = Instant.parse("2015-01-05T08:00:00Z");

    private SyntheticBuilds() {}

    /** A CSV of {@code builds} builds (more rows: some builds have several jobs). */
    public static String csv(int builds, long seed) {
        return csv(builds, seed, 1.0);
    }

    /**
     * @param signal 1 for the standard signal, 0 for outcomes that do not depend on the features
     */
    public static String csv(int builds, long seed, double signal) {
        Random r = new Random(seed);
        StringBuilder out = new StringBuilder(HEADER.get(0)).append('\n');
        Map<String, List<double[]>> finishedByBranch = new HashMap<>(); // {finishMillis, failed}
        Map<String, Long> lastBuildOfProject = new LinkedHashMap<>();
        Instant start = T0;
        for (int i = 0; i < builds; i++) {
            start = start.plus(Duration.ofSeconds(300 + r.nextInt(1500)));
            String project = r.nextDouble() < 0.6 ? "acme/api" : "acme/web";
            String branch = r.nextDouble() < 0.6 ? "master" : "feature-" + r.nextInt(4);
            String key = project + "#" + branch;
            int churn = (int) Math.round(Math.exp(3 + 1.2 * r.nextGaussian()));
            int files = 1 + (int) Math.round(Math.exp(1.3 + 0.9 * r.nextGaussian()));
            boolean pr = r.nextBoolean();
            boolean core = r.nextDouble() < 0.7;
            long duration = 600 + r.nextInt(3000);
            double prevFailed = latestKnown(finishedByBranch.get(key), start);
            double logit =
                    -1.1
                            + signal
                                    * (1.1 * (Math.log1p(churn) - 3)
                                            + 1.0 * (files > 8 ? 1 : 0)
                                            + 1.8 * (prevFailed > 0 ? 1 : 0)
                                            - 0.6 * (core ? 1 : 0));
            boolean failed = r.nextDouble() < 1 / (1 + Math.exp(-logit));
            finishedByBranch
                    .computeIfAbsent(key, k -> new ArrayList<>())
                    .add(new double[] {start.plusSeconds(duration).toEpochMilli(), failed ? 1 : 0});
            long buildId = 1000 + i;
            Long prevBuild = lastBuildOfProject.put(project, buildId);
            int jobs = r.nextDouble() < 0.3 ? 2 + r.nextInt(2) : 1;
            String status = failed ? (r.nextDouble() < 0.25 ? "errored" : "failed") : "passed";
            int testsFailed = failed ? 1 + r.nextInt(5) : 0;
            for (int j = 0; j < jobs; j++) {
                List<String> v = new ArrayList<>();
                v.add(Long.toString(buildId));
                v.add(project);
                v.add(Boolean.toString(pr));
                v.add(pr ? time(start.minusSeconds(3600 + r.nextInt(90_000))) : "");
                v.add(pr ? Integer.toString(10 + i) : "");
                v.add("java");
                v.add("");
                v.add(branch);
                v.add(Integer.toString(1 + r.nextInt(3)));
                v.add("sha" + i + "a#sha" + i + "b");
                v.add(r.nextBoolean() ? "build_found" : "merge_found");
                v.add("sha" + (i - 1));
                v.add(prevBuild == null ? "" : Long.toString(prevBuild));
                v.add(time(start.minusSeconds(600 + r.nextInt(200_000))));
                v.add(Integer.toString(5 + r.nextInt(15)));
                v.add("sha" + i);
                v.add("1");
                v.add("sha" + i);
                v.add("");
                v.add("sha" + i);
                // comment counts are taken at export time: failures attract comments
                v.add(Integer.toString(failed ? 3 + r.nextInt(3) : r.nextInt(2)));
                v.add("0");
                v.add(Integer.toString(failed ? 2 : 0));
                v.add(Integer.toString(churn));
                v.add(Integer.toString(r.nextInt(40)));
                v.add(Integer.toString(r.nextInt(3)));
                v.add(Integer.toString(r.nextInt(2)));
                v.add(Integer.toString(files));
                v.add(Integer.toString(r.nextInt(2)));
                v.add("0");
                v.add(Integer.toString(files));
                v.add("0");
                v.add(Integer.toString(r.nextInt(2)));
                v.add(Integer.toString(r.nextInt(100)));
                v.add(Integer.toString(80_000 + i));
                v.add(fmt(300 + r.nextGaussian() * 5));
                v.add(fmt(10 + r.nextGaussian()));
                v.add(fmt(40 + r.nextGaussian() * 2));
                v.add(Boolean.toString(core));
                v.add(pr ? Integer.toString(r.nextInt(60)) : "");
                v.add(time(start.minusSeconds(60 + r.nextInt(600))));
                v.add(time(start));
                v.add(status);
                v.add(Long.toString(duration));
                v.add("[" + buildId + "1]");
                v.add(Integer.toString(i + 1));
                v.add(Long.toString(buildId * 10 + j));
                v.add("java");
                v.add(failed ? "broken" : "ok");
                v.add("");
                v.add("java-maven");
                v.add("junit");
                v.add("true");
                v.add(Boolean.toString(failed));
                v.add(Integer.toString(1000 - testsFailed));
                v.add(Integer.toString(testsFailed));
                v.add("1000");
                v.add("0");
                v.add(failed ? "\"TestA#, TestB#\"" : "");
                v.add(fmt(duration * 0.8));
                v.add("");
                out.append(String.join(",", v)).append('\n');
            }
        }
        return out.toString();
    }

    private static double latestKnown(List<double[]> finished, Instant start) {
        if (finished == null) {
            return Double.NaN;
        }
        double latestFinish = Double.NEGATIVE_INFINITY;
        double outcome = Double.NaN;
        for (double[] f : finished) {
            if (f[0] < start.toEpochMilli() && f[0] > latestFinish) {
                latestFinish = f[0];
                outcome = f[1];
            }
        }
        return outcome;
    }

    private static String time(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC).toString();
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }
}

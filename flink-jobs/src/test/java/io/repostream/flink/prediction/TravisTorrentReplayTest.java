package io.repostream.flink.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.repostream.schemas.TrainingExample;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TravisTorrentReplayTest {
    private static final String HEADER =
            "tr_build_id,gh_project_name,gh_is_pr,gh_pr_created_at,gh_pull_req_num,"
                    + "gh_num_commits_in_push,git_diff_src_churn,git_diff_test_churn,"
                    + "gh_diff_files_added,gh_diff_files_deleted,gh_diff_files_modified,"
                    + "gh_build_started_at,tr_status,tr_duration,tr_job_id\n";

    /**
     * Build 1 passes at 10:10; build 2 starts at 10:05, before that, and fails at 10:15 (two job
     * rows); build 3 is canceled; build 4, a pull request, starts at 11:00 and passes; build 5 of
     * another project starts at 11:00 too.
     */
    private static final String CSV =
            HEADER
                    + "1,Acme/Widgets,false,,,2,10,5,0,0,1,2015-01-05T10:00:00,passed,600,11\n"
                    + "2,Acme/Widgets,false,,,1,3,0,0,0,1,2015-01-05T10:05:00,failed,600,21\n"
                    + "2,Acme/Widgets,false,,,1,3,0,0,0,1,2015-01-05T10:05:00,failed,600,22\n"
                    + "3,Acme/Widgets,false,,,1,3,0,0,0,1,2015-01-05T10:20:00,canceled,60,31\n"
                    + "4,Acme/Widgets,true,2015-01-05T09:00:00,7,3,40,9,1,0,2,2015-01-05T11:00:00,"
                    + "passed,300,41\n"
                    + "5,Acme/Other,false,,,1,1,1,0,0,1,2015-01-05T11:00:00,errored,100,51\n";

    private static Map<Long, TrainingExample> bySubject(List<TrainingExample> examples) {
        return examples.stream()
                .collect(Collectors.toMap(TrainingExample::subjectId, Function.identity()));
    }

    @Test
    void turnsEachLabelledBuildIntoOneOnlineTrainingExample() throws Exception {
        List<TrainingExample> examples = TravisTorrentReplay.replay("tt.csv", CSV);

        assertThat(examples).hasSize(4); // build 2's second job merged, build 3 canceled
        assertThat(examples)
                .allSatisfy(e -> assertThat(e.featureSet()).isEqualTo(CiFeatures.FEATURE_SET));
        Map<Long, TrainingExample> e = bySubject(examples);
        assertThat(e).containsOnlyKeys(1L, 2L, 7L, 5L);
        assertThat(e.get(1L).success()).isTrue();
        assertThat(e.get(2L).success()).isFalse();
        assertThat(e.get(7L).success()).isTrue();
        assertThat(e.get(7L).subjectType()).isEqualTo("pull_request");
        assertThat(e.get(5L).success()).as("errored is a failure").isFalse();
        assertThat(e.get(5L).repo()).isEqualTo("acme/other");
    }

    @Test
    void aBuildSeesOnlyOutcomesKnownBeforeItStarted() throws Exception {
        Map<Long, TrainingExample> e = bySubject(TravisTorrentReplay.replay("tt.csv", CSV));

        // build 2 started while build 1 was still running: no history yet
        assertThat(e.get(2L).features())
                .doesNotContainKeys(CiFeatures.REPO_FAILURE_RATE, CiFeatures.PREVIOUS_BUILD_FAILED);
        // the pull request build at 11:00 knows builds 1 (passed) and 2 (failed); not 3 (canceled)
        Map<String, Double> pr = e.get(7L).features();
        assertThat(pr.get(CiFeatures.REPO_FAILURE_RATE)).isEqualTo(0.5);
        assertThat(pr.get(CiFeatures.PREVIOUS_BUILD_FAILED)).isEqualTo(1.0);
        assertThat(pr.get(CiFeatures.LOG_HOURS_SINCE_LAST_BUILD))
                .isCloseTo(Math.log1p(0.75), within(1e-9)); // since 10:15
        // another project's history is its own
        assertThat(e.get(5L).features()).doesNotContainKey(CiFeatures.REPO_FAILURE_RATE);
    }

    @Test
    void mapsThePushAndLeavesOutWhatTravisTorrentDoesNotKnow() throws Exception {
        Map<Long, TrainingExample> e = bySubject(TravisTorrentReplay.replay("tt.csv", CSV));

        Map<String, Double> pr = e.get(7L).features();
        assertThat(pr)
                .containsEntry(CiFeatures.IS_PULL_REQUEST, 1.0)
                .containsEntry(CiFeatures.COMMITS, 3.0)
                .containsEntry(CiFeatures.CHANGED_FILES, 3.0)
                .containsEntry(CiFeatures.HOUR_OF_DAY, 11.0)
                .containsEntry(CiFeatures.DAY_OF_WEEK, 1.0);
        assertThat(pr.get(CiFeatures.LOG_DIFF_SIZE)).isCloseTo(Math.log1p(49), within(1e-9));
        Map<String, Double> push = e.get(1L).features();
        assertThat(push).containsEntry(CiFeatures.IS_PULL_REQUEST, 0.0);
        // a push's run has no pull request, so online it has no diff either
        assertThat(push).doesNotContainKeys(CiFeatures.COMMITS, CiFeatures.LOG_DIFF_SIZE);
        for (TrainingExample example : e.values()) {
            assertThat(example.features())
                    .doesNotContainKeys(
                            TravisTorrentReplay.NOT_IN_TRAVISTORRENT.toArray(String[]::new))
                    .doesNotContainKeys(
                            CiFeatures.SAME_COMMITTER_AS_LAST_BUILD, CiFeatures.HOURS_TO_APPROVAL);
            assertThat(CiFeatures.NAMES).containsAll(example.features().keySet());
        }
    }
}

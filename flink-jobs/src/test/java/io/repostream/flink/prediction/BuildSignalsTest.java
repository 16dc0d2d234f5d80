package io.repostream.flink.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.Events;
import io.repostream.flink.prediction.BuildSignal.Kind;
import io.repostream.schemas.GitHubEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildSignalsTest {
    private static final String REPO = "octo-org/widgets";
    private static final Instant T = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void aTriggerNeverCarriesAConclusionEvenWhenItsPayloadHasOne() {
        // a redelivered or polled "requested" event may hold a later snapshot of the run
        BuildSignal started =
                BuildSignals.of(
                        BuildEvents.run("requested", REPO, 5, 2, "abc", "Mona", 12, "failure", T));

        assertThat(started.kind()).isEqualTo(Kind.RUN_STARTED);
        assertThat(started.conclusion()).isNull();
        assertThat(started.runId()).isEqualTo(5);
        assertThat(started.runAttempt()).isEqualTo(2);
        assertThat(started.workflowId()).isEqualTo(7001);
        assertThat(started.headSha()).isEqualTo("abc");
        assertThat(started.actor()).isEqualTo("mona");
        assertThat(started.pullRequests()).containsExactly(12L);
    }

    @Test
    void aCompletedRunCarriesItsConclusion() {
        BuildSignal done =
                BuildSignals.of(BuildEvents.completed(REPO, 5, "abc", "mona", 0, "timed_out", T));

        assertThat(done.kind()).isEqualTo(Kind.RUN_COMPLETED);
        assertThat(done.conclusion()).isEqualTo("timed_out");
        assertThat(done.pullRequests()).isEmpty();
    }

    @Test
    void readsThePullRequestsSizeAndWhoPushed() {
        BuildSignal pr =
                BuildSignals.of(
                        BuildEvents.pullRequest(
                                "synchronize",
                                REPO,
                                12,
                                "def",
                                "Hubot",
                                40,
                                2,
                                T,
                                T.plusSeconds(60)));

        assertThat(pr.kind()).isEqualTo(Kind.PR_UPDATED);
        assertThat(pr.pullRequest()).isEqualTo(12);
        assertThat(pr.headSha()).isEqualTo("def");
        assertThat(pr.actor()).isEqualTo("hubot");
        assertThat(List.of(pr.commits(), pr.additions(), pr.deletions(), pr.changedFiles()))
                .containsExactly(2, 40, 2, 3);
        assertThat(pr.prCreatedAt()).isEqualTo(T);
    }

    @Test
    void readsAReviewsState() {
        BuildSignal review = BuildSignals.of(BuildEvents.review(REPO, 12, "APPROVED", T));

        assertThat(review.kind()).isEqualTo(Kind.PR_REVIEWED);
        assertThat(review.reviewState()).isEqualTo("approved");
        assertThat(review.pullRequest()).isEqualTo(12);
    }

    @Test
    void skipsEventsThePredictorDoesNotFollow() {
        assertThat(BuildSignals.of(Events.issue("opened", REPO, 1, List.of(), T))).isNull();
        assertThat(
                        BuildSignals.of(
                                BuildEvents.pullRequest(
                                        "labeled", REPO, 12, "def", "hubot", 1, 1, T, T)))
                .isNull();
    }

    @Test
    void skipsARunThatLacksItsIdInsteadOfFailing() {
        GitHubEvent event = BuildEvents.started(REPO, 5, "abc", "mona", 0, T);
        ((ObjectNode) event.payload().get("workflow_run")).remove("id");

        assertThat(BuildSignals.of(event)).isNull();
    }
}

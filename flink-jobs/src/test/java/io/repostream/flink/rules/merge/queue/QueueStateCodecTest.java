package io.repostream.flink.rules.merge.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.rules.ci.FailureClass;
import io.repostream.flink.rules.merge.queue.QueueState.CandidateEntry;
import io.repostream.flink.rules.merge.queue.QueueState.CheckEntry;
import io.repostream.flink.rules.merge.queue.QueueState.Phase;
import io.repostream.flink.rules.merge.queue.QueueState.PullEntry;
import io.repostream.flink.rules.merge.queue.QueueState.PullStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueStateCodecTest {
    @Test
    void anEmptyQueueReadsBackEqual() {
        QueueState empty = QueueState.empty();
        assertThat(QueueStateCodec.read(QueueStateCodec.write(empty))).isEqualTo(empty);
        assertThat(QueueStateCodec.read(null)).isEqualTo(empty);
    }

    @Test
    void everyFieldReadsBackEqual() {
        String sha = QueueWorld.sha("x");
        QueueState state =
                new QueueState(
                        sha,
                        "incident 42",
                        true,
                        7,
                        19,
                        5,
                        List.of(
                                new PullEntry(
                                        3,
                                        sha,
                                        true,
                                        PullStatus.TESTING,
                                        false,
                                        10,
                                        4,
                                        2,
                                        false,
                                        1),
                                new PullEntry(
                                        4,
                                        "not-a-sha",
                                        false,
                                        PullStatus.OUT,
                                        true,
                                        11,
                                        5,
                                        0,
                                        true,
                                        0)),
                        List.of(
                                new CandidateEntry(
                                        6,
                                        2,
                                        Phase.TESTING,
                                        List.of(3, 4),
                                        2,
                                        sha,
                                        QueueWorld.sha("y"),
                                        12345,
                                        true,
                                        false,
                                        false,
                                        true,
                                        null,
                                        "build (permanent)",
                                        List.of(
                                                new CheckEntry(
                                                        "build", false, FailureClass.FLAKY, 99),
                                                new CheckEntry("lint", true, null, 0)))));
        assertThat(QueueStateCodec.read(QueueStateCodec.write(state))).isEqualTo(state);
    }

    @Test
    void aQueueRestoredMidFlightFromItsBytesGoesOnExactlyAsTheOriginal() {
        QueueSettings settings = QueueSettings.of("main", QueueWorld.CHECK).withBatching(4, 2);
        QueueWorld original = new QueueWorld(settings);
        original.eligible(1, 2, 3, 4, 5, 6, 7, 8);
        original.answerSteps();
        QueueState midFlight = original.machine.state();
        assertThat(midFlight.candidates()).hasSize(2);

        byte[] bytes = QueueStateCodec.write(midFlight);
        MergeQueueMachine restored = new MergeQueueMachine(settings, QueueStateCodec.read(bytes));
        assertThat(restored.state()).isEqualTo(midFlight);
        // about 50 bytes a pull request and 100 a candidate
        assertThat(bytes.length).isLessThan(1024);

        for (String sha : List.copyOf(original.refs.values())) {
            QueueInput check = new QueueInput.CheckReported(sha, QueueWorld.CHECK, true, null, 1);
            assertThat(restored.apply(check, original.now))
                    .isEqualTo(original.machine.apply(check, original.now));
            assertThat(restored.state()).isEqualTo(original.machine.state());
        }
    }
}

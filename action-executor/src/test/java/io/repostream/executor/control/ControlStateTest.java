package io.repostream.executor.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.ExecutorControl;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ControlStateTest {
    private static ExecutorControl control(boolean on) {
        return new ExecutorControl(on, null, "alice", Instant.EPOCH);
    }

    @Test
    void followsTheNewestRecordAndIgnoresOlderOnesReadBackLater() {
        ControlState state = new ControlState();
        assertThat(state.killSwitchOn()).isFalse();

        assertThat(state.update(control(true), 4)).isTrue();
        assertThat(state.update(control(false), 5)).isTrue();
        // the tail reads offset 4 back after this executor wrote 5 itself
        assertThat(state.update(control(true), 4)).isFalse();
        assertThat(state.killSwitchOn()).isFalse();

        assertThat(state.update(null, 6)).isTrue(); // tombstone
        assertThat(state.killSwitchOn()).isFalse();
        assertThat(state.latest()).isEmpty();
    }

    @Test
    void aSwitchTurnedOnAtStartStaysOnWhateverTheTopicSays() {
        ControlState state = new ControlState(true);
        state.update(control(false), 1);

        assertThat(state.killSwitchOn()).isTrue();
        assertThat(state.startedOn()).isTrue();
    }
}

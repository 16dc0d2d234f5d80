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

    @Test
    void eachRulesSwitchFollowsTheNewestRecordOfItsKeyAloneAndLeavesTheGlobalOneBe() {
        ControlState state = new ControlState();

        assertThat(state.updateRule("sla-monitor", control(true), 7)).isTrue();
        assertThat(state.updateRule("triage-label", control(false), 3)).isTrue();
        // the tail reads an older record of the rule back after this executor wrote a newer one
        assertThat(state.updateRule("sla-monitor", control(false), 6)).isFalse();

        assertThat(state.ruleKilled("sla-monitor")).isTrue();
        assertThat(state.ruleKilled("triage-label")).isFalse();
        assertThat(state.ruleKilled("ci-retry")).isFalse();
        assertThat(state.killSwitchOn()).isFalse();
        assertThat(state.rules()).containsOnlyKeys("sla-monitor", "triage-label");

        assertThat(state.updateRule("sla-monitor", null, 8)).isTrue(); // tombstone
        assertThat(state.ruleKilled("sla-monitor")).isFalse();
        assertThat(state.rule("sla-monitor")).isEmpty();
    }

    @Test
    void aRuleIsNamedAsInProducedByWithoutItsVersion() {
        assertThat(ExecutorControl.ruleKey("sla-monitor")).isEqualTo("rule:sla-monitor");
        assertThat(ExecutorControl.ruleOf("rule:sla-monitor")).isEqualTo("sla-monitor");
        assertThat(ExecutorControl.ruleOf(ExecutorControl.KEY)).isNull();
        for (String bad : new String[] {"sla-monitor@1", "", "SLA", "a b"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExecutorControl.ruleKey(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}

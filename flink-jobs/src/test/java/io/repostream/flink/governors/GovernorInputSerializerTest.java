package io.repostream.flink.governors;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.serialization.SampleRecords;
import io.repostream.flink.serialization.SerializerContract;
import io.repostream.schemas.ActionMetadata;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.RateLimit;
import io.repostream.schemas.TargetState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.junit.jupiter.api.Test;

class GovernorInputSerializerTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void carriesProposedActionsAndAuditFeedbackWithTheGovernorsMarks() throws Exception {
        List<ActionRecord> actions = SampleRecords.actions();
        List<GovernorInput> samples = new ArrayList<>();
        for (ActionRecord action : actions) {
            samples.add(GovernorInput.of(action));
            samples.add(new GovernorInput(action, null, "installation:42", true));
        }
        samples.add(GovernorInput.of(audit(actions.get(0))));
        samples.add(new GovernorInput(null, audit(actions.get(1)), "installation:7", false));

        SerializerContract.check(GovernorInput.class, GovernorInputSerializer.INSTANCE, samples);
    }

    @Test
    void isTheTypeOfTheGovernorsInput() {
        assertThat(GovernorInputSerializer.TYPE.createSerializer(new SerializerConfigImpl()))
                .isSameAs(GovernorInputSerializer.INSTANCE);
    }

    private static AuditRecord audit(ActionRecord action) {
        return new AuditRecord(
                "audit-" + action.actionId(),
                action.actionId(),
                action.repo(),
                action.target(),
                action.type(),
                AuditOutcome.APPLIED,
                TargetState.issue("open", List.of("bug"), List.of()),
                TargetState.issue("open", List.of("bug", "needs-triage"), List.of("octocat")),
                200,
                new RateLimit(5000, 4321, 679, T0.getEpochSecond() + 3600, "core", null),
                null,
                action.producedBy(),
                action.causedBy(),
                ActionMetadata.of(action),
                T0,
                T0.plusMillis(250));
    }
}

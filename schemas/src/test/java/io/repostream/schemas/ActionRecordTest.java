package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ActionRecordTest {
    private static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void eachWitherChangesItsOwnFieldAndKeepsEveryOther() {
        ActionRecord a = SampleRecords.action();

        assertThat(a.withNotBefore(LATER))
                .usingRecursiveComparison()
                .ignoringFields("notBefore")
                .isEqualTo(a);
        assertThat(a.withNotBefore(LATER).notBefore()).isEqualTo(LATER);
        assertThat(a.withExpiresAt(LATER))
                .usingRecursiveComparison()
                .ignoringFields("expiresAt")
                .isEqualTo(a);
        assertThat(a.withExpiresAt(LATER).expiresAt()).isEqualTo(LATER);
        assertThat(a.asDryRun()).usingRecursiveComparison().ignoringFields("dryRun").isEqualTo(a);
        assertThat(a.asDryRun().dryRun()).isTrue();
    }

    @Test
    void theWithersKeepTheTypedTarget() {
        ActionRecord onRun = SampleRecords.actionOnARun();

        assertThat(onRun.withNotBefore(LATER).declaredTarget()).isEqualTo(onRun.declaredTarget());
        assertThat(onRun.withExpiresAt(LATER).declaredTarget()).isEqualTo(onRun.declaredTarget());
        assertThat(onRun.asDryRun().declaredTarget()).isEqualTo(onRun.declaredTarget());
        assertThat(onRun.withTypedTarget(TypedTarget.workflowRun(7)))
                .usingRecursiveComparison()
                .ignoringFields("target", "declaredTarget")
                .isEqualTo(onRun);
    }
}

package io.repostream.flink.governors;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.AuditRecord;
import java.time.Instant;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/** The audit record a governor writes when it drops an action ({@link ActionDrops}). */
public final class DroppedAudits {
    private DroppedAudits() {}

    public static AuditRecord of(
            ActionRecord action, ActionDrops.Reason reason, String detail, Instant at) {
        return new ActionDrops("test-governor", new UnregisteredMetricsGroup())
                .drop(action, reason, detail, at.toEpochMilli());
    }
}

package io.repostream.flink.serialization;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TargetKind;
import io.repostream.schemas.TypedTarget;
import java.time.Instant;
import java.util.List;

/** Records with every optional field both set and unset, for the serializer tests. */
public final class SampleRecords {
    private static final Instant AT = Instant.parse("2026-03-02T09:00:00.123456789Z");

    /** Text beyond writeUTF's 64 KB limit, with characters outside the BMP and right-to-left. */
    public static final String UNICODE =
            "Ünïcödé ✓ 漢字 עברית 😀🚀 \u0000 tab\t quote\" " + "𝄞".repeat(20_000);

    private SampleRecords() {}

    /** Actions as the rules produce them, with every optional field both set and unset. */
    public static List<ActionRecord> actions() {
        ObjectNode labels = JsonNodeFactory.instance.objectNode();
        labels.putArray("labels").add("needs-triage").add("ci/high-risk");
        ObjectNode comment = JsonNodeFactory.instance.objectNode();
        comment.put("body", UNICODE).put("marker", "<!-- repostream:sla -->");
        return List.of(
                new ActionRecord(
                        "triage-label@1:octo-org/widgets#12",
                        "octo-org/widgets",
                        12,
                        ActionType.ADD_LABELS,
                        labels,
                        "new issue without labels",
                        List.of("issues-opened-octo-org/widgets#12"),
                        1.0,
                        "triage-label@1",
                        List.of("delivery-1", "delivery-2"),
                        42L,
                        AT,
                        null,
                        null,
                        false),
                new ActionRecord(
                        "sla-monitor@1:octo-org/gadgets#7:response",
                        "Octo-Org/Gadgets",
                        7,
                        ActionType.CREATE_COMMENT,
                        comment,
                        "first response target of P0 missed: " + UNICODE,
                        List.of(),
                        0.35,
                        "sla-monitor@1",
                        List.of(),
                        null,
                        AT.plusSeconds(1),
                        AT.plusSeconds(300),
                        AT.plusSeconds(3600),
                        true),
                new ActionRecord(
                        "ci-retry@1:octo-org/widgets:run-900:attempt-2",
                        "octo-org/widgets",
                        9_000_000_001L,
                        ActionType.RERUN_FAILED_JOBS,
                        null,
                        "timed out",
                        List.of("line 1", "line 2"),
                        0.0,
                        "ci-retry@1",
                        List.of("delivery-3"),
                        7L,
                        AT.plusMillis(5),
                        AT.plusSeconds(60),
                        null,
                        false),
                rerunOfRun(901).withTypedTarget(TypedTarget.workflowRun(901)),
                rerunOfRun(902)
                        .withTypedTarget(
                                new TypedTarget(TargetKind.of("kind_from_a_newer_writer"), "x")));
    }

    private static ActionRecord rerunOfRun(long run) {
        return new ActionRecord(
                "ci-retry@1:octo-org/widgets:run-" + run + ":attempt-2",
                "octo-org/widgets",
                run,
                ActionType.RERUN_FAILED_JOBS,
                null,
                "timed out",
                List.of(),
                0.5,
                "ci-retry@1",
                List.of("delivery-4"),
                7L,
                AT,
                null,
                null,
                false);
    }
}

package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.topics.Topics;
import org.junit.jupiter.api.Test;

/**
 * {@code requested_by} of {@code github.audit.v1}: who asked for a rollback; optional, and records
 * without it read as before.
 */
class AuditRequestedByTest {

    @Test
    void aRecordWrittenBeforeRequestedByReadsAsNamingNobodyAndIsWrittenBackUnchanged() {
        ObjectNode old = (ObjectNode) Topics.AUDIT.valueCodec().toTree(SampleRecords.audit());
        assertThat(old.has("requested_by")).isFalse();

        AuditRecord record = Topics.AUDIT.valueCodec().fromTree(old);

        assertThat(record.requestedBy()).isNull();
        assertThat(Topics.AUDIT.valueCodec().toTree(record)).isEqualTo(old);
    }

    @Test
    void whoAskedForARollbackIsWrittenAndReadBack() {
        ObjectNode json = (ObjectNode) Topics.AUDIT.valueCodec().toTree(SampleRecords.audit());
        json.put("outcome", AuditOutcome.ROLLED_BACK.wireName());
        json.put("requested_by", "octocat (console)");

        AuditRecord record = Topics.AUDIT.valueCodec().fromTree(json);

        assertThat(record.requestedBy()).isEqualTo("octocat (console)");
        assertThat(Topics.AUDIT.valueCodec().toTree(record).get("requested_by").asText())
                .isEqualTo("octocat (console)");
    }

    @Test
    void aBlankNameIsNobody() {
        ObjectNode json = (ObjectNode) Topics.AUDIT.valueCodec().toTree(SampleRecords.audit());
        json.put("requested_by", "  ");

        assertThat(Topics.AUDIT.valueCodec().fromTree(json).requestedBy()).isNull();
    }
}

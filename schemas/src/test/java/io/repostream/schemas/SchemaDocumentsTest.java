package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchemaDocumentsTest {

    @Test
    void everySchemaIsAValidDraft202012Document() {
        var metaSchema =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                        .getSchema(
                                SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

        for (Topic<String, ?> topic : Topics.all()) {
            var document = topic.valueCodec().schema().document();
            assertThat(metaSchema.validate(document)).as(topic.name()).isEmpty();
            assertThat(document.get("$schema").asText())
                    .isEqualTo("https://json-schema.org/draft/2020-12/schema");
        }
    }

    @Test
    void topicNamesAreUniqueAndVersioned() {
        Set<String> names = new HashSet<>();
        for (Topic<String, ?> topic : Topics.all()) {
            assertThat(names.add(topic.name())).as(topic.name()).isTrue();
            assertThat(topic.name()).startsWith("github.").endsWith(".v1");
        }
        assertThat(names).hasSize(12);
    }

    @Test
    void onlySnapshotsConfigControlModelsAndMergeQueuesAreCompacted() {
        assertThat(Topics.all().stream().filter(Topic::compacted).map(Topic::name))
                .containsExactlyInAnyOrder(
                        "github.snapshots.v1",
                        "github.config.v1",
                        "github.control.v1",
                        "github.models.v1",
                        "github.mergequeue.v1");
        assertThat(Topics.CONFIG.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(Topics.EVENTS.configs()).containsEntry("cleanup.policy", "delete");
    }

    @Test
    void everyTopicKeepsTheTimeARecordWasWrittenSoRetentionCountsFromTheWrite() {
        for (Topic<String, ?> topic : Topics.all()) {
            assertThat(topic.configs())
                    .as(topic.name())
                    .containsEntry("message.timestamp.type", "LogAppendTime");
            assertThat(topic.newTopic(java.util.Optional.empty(), (short) 1).configs())
                    .as(topic.name())
                    .containsEntry("message.timestamp.type", "LogAppendTime");
        }
    }

    @Test
    void topicsThatCarryWebhookPayloadsAcceptGitHubsLargestDelivery() {
        int githubLimit = 25 * 1024 * 1024;
        for (Topic<String, ?> topic : List.of(Topics.EVENTS, Topics.EVENTS_DLQ)) {
            assertThat(Integer.parseInt(topic.configs().get("max.message.bytes")))
                    .as(topic.name())
                    .isGreaterThan(githubLimit);
        }
        assertThat(Topics.ACTIONS.configs()).doesNotContainKey("max.message.bytes");
    }
}

package io.repostream.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.schemas.TrainingExample;
import io.repostream.schemas.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingExampleLoaderTest {
    @TempDir Path dir;

    private static TrainingExample example(
            String id, String repo, String set, Map<String, Double> features, String at) {
        Instant t = Instant.parse(at);
        return new TrainingExample(
                id, repo, "workflow_run", 7, set, features, false, "failure", t, t.plusSeconds(60));
    }

    private Path write(List<String> lines) throws IOException {
        Path file = dir.resolve("examples.jsonl");
        Files.write(file, lines);
        return file;
    }

    private static String json(TrainingExample e) {
        return new String(Topics.TRAINING_EXAMPLES.valueCodec().encode(e), StandardCharsets.UTF_8);
    }

    @Test
    void readsExamplesInTimeOrderWithMissingFeaturesAsNaN() throws IOException {
        Map<String, Double> ab = new LinkedHashMap<>();
        ab.put("a", 1.0);
        ab.put("b", 2.0);
        List<String> lines = new ArrayList<>();
        lines.add(json(example("e2", "Acme/Api", "v1", ab, "2026-01-02T00:00:00Z")));
        lines.add("");
        lines.add(json(example("e1", "acme/api", "v1", Map.of("c", 3.0), "2026-01-01T00:00:00Z")));
        TrainingExampleLoader.Result r = TrainingExampleLoader.load(write(lines));
        assertThat(r.featureSet()).isEqualTo("v1");
        BuildTable t = r.table();
        assertThat(t.featureNames()).containsExactly("a", "b", "c");
        assertThat(t.historyGroupings()).containsExactly("repo");
        assertThat(t.builds().get(0).features()).containsExactly(Double.NaN, Double.NaN, 3.0);
        assertThat(t.builds().get(0).groups()).containsExactly("acme/api");
        assertThat(t.builds().get(1).features()).containsExactly(1.0, 2.0, Double.NaN);
        assertThat(t.builds().get(1).ref()).contains("line 1").contains("acme/api#7");
        assertThat(t.builds().get(1).outcomeKnownAt())
                .isEqualTo(Instant.parse("2026-01-02T00:01:00Z"));
    }

    @Test
    void namesTheFileAndLineOfARecordThatBreaksTheSchema() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(json(example("e1", "acme/api", "v1", Map.of("a", 1.0), "2026-01-01T00:00:00Z")));
        lines.add("{\"example_id\": \"e2\"}");
        Path file = write(lines);
        assertThatThrownBy(() -> TrainingExampleLoader.load(file))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(file + " line 2");
    }

    @Test
    void refusesToMixFeatureSets() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(json(example("e1", "acme/api", "v1", Map.of("a", 1.0), "2026-01-01T00:00:00Z")));
        lines.add(json(example("e2", "acme/web", "v2", Map.of("a", 1.0), "2026-01-02T00:00:00Z")));
        Path file = write(lines);
        assertThatThrownBy(() -> TrainingExampleLoader.load(file))
                .hasMessageContaining("line 2 (acme/web#7) has feature set 'v2'");
    }
}

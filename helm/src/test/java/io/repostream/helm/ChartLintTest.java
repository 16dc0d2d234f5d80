package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code helm lint --strict}. helm-java's lint takes no values file, so each value set is linted on
 * a copy of the chart whose values.yaml is the defaults overlaid with that set.
 */
@Timeout(120)
class ChartLintTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void passesStrictLint(ValueSet values) throws IOException {
        LintResult result = new Helm(chartWith(values)).lint().strict().call();

        assertThat(result.getMessages()).as("lint messages").noneMatch(m -> m.contains("[ERROR]"));
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void failsStrictLintWhenTheBridgeWouldRunASingleReplica() throws IOException {
        Map<String, Object> overlay = Map.of("bridge", Map.of("replicas", 1));

        LintResult result = new Helm(chartWith(ValueSet.DEFAULTS, overlay)).lint().strict().call();

        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("/bridge/replicas");
    }

    private Path chartWith(ValueSet values) throws IOException {
        return chartWith(values, values.file() == null ? Map.of() : Chart.readYaml(values.file()));
    }

    private Path chartWith(ValueSet values, Map<String, Object> overlay) throws IOException {
        Path copy = tmp.resolve("repostream-" + values.name().toLowerCase(java.util.Locale.ROOT));
        try (Stream<Path> files = Files.walk(Chart.DIR)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(Chart.DIR.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        Map<String, Object> merged = deepMerge(Chart.defaultValues(), overlay);
        Files.writeString(copy.resolve("values.yaml"), Chart.writeYaml(merged));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepMerge(
            Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        overlay.forEach(
                (key, value) -> {
                    Object current = merged.get(key);
                    if (current instanceof Map && value instanceof Map) {
                        merged.put(
                                key,
                                deepMerge(
                                        (Map<String, Object>) current,
                                        (Map<String, Object>) value));
                    } else {
                        merged.put(key, value);
                    }
                });
        return merged;
    }
}

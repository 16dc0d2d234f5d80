package io.repostream.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chart under helm/repostream, rendered offline by the Helm library that helm-java embeds.
 * Tests run with the module directory (helm/) as working directory.
 */
final class Chart {
    static final Path DIR = Path.of("repostream").toAbsolutePath();
    static final String RELEASE = "repostream";
    static final String NAMESPACE = "automation";
    // the oldest Kubernetes the chart supports (Chart.yaml kubeVersion), so its APIs are checked
    // there
    static final String KUBE_VERSION = "1.26.0";

    private static final ObjectMapper YAML = new YAMLMapper();

    private Chart() {}

    /** Renders with the chart's defaults plus the given value set and {@code --set} overrides. */
    static Manifests render(ValueSet values, Map<String, Object> overrides) {
        TemplateCommand template =
                new Helm(DIR)
                        .template()
                        .withName(RELEASE)
                        .withNamespace(NAMESPACE)
                        .withKubeVersion(KUBE_VERSION);
        if (values.file() != null) {
            template = template.withValuesFile(values.file());
        }
        for (Map.Entry<String, Object> set : overrides.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        return Manifests.parse(template.call());
    }

    static Manifests render(ValueSet values) {
        return render(values, Map.of());
    }

    /** Every YAML document of a multi-document string, empty documents left out. */
    static List<JsonNode> documents(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && !node.isNull() && !node.isMissingNode() && node.size() > 0) {
                    documents.add(node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rendered chart is not valid YAML", e);
        }
        return documents;
    }

    /** The chart's values.yaml as a tree. */
    static Map<String, Object> defaultValues() {
        return readYaml(DIR.resolve("values.yaml"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readYaml(Path file) {
        try {
            return YAML.readValue(Files.readString(file), LinkedHashMap.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String writeYaml(Object tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

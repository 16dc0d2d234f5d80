package io.repostream.helm;

import java.nio.file.Path;
import java.util.List;

/**
 * A set of values the chart is checked with: the defaults alone, or the defaults overlaid with one
 * of the example files under {@code repostream/ci/}.
 */
enum ValueSet {
    DEFAULTS(null),
    PRODUCTION("production-values.yaml"),
    MINIMAL("minimal-values.yaml");

    private final String fileName;

    ValueSet(String fileName) {
        this.fileName = fileName;
    }

    /** The overlay file, or {@code null} for the defaults. */
    Path file() {
        return fileName == null ? null : Chart.DIR.resolve("ci").resolve(fileName);
    }

    static List<ValueSet> all() {
        return List.of(values());
    }
}

package io.repostream.ml.data;

import io.repostream.schemas.TrainingExample;
import io.repostream.schemas.json.RecordValidationException;
import io.repostream.schemas.topics.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the pipeline's own {@link TrainingExample} records (one {@code github.training-examples.v1}
 * JSON record per line) into a {@link BuildTable}. The features are the pipeline's, as computed
 * before the outcome; the history grouping is the repository.
 */
public final class TrainingExampleLoader {
    public static final String REPO_GROUPING = "repo";

    /** The builds and the feature set they were computed with. */
    public record Result(BuildTable table, String featureSet) {}

    private TrainingExampleLoader() {}

    public static Result load(Path jsonl) {
        List<TrainingExample> examples = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            long line = 0;
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    examples.add(
                            Topics.TRAINING_EXAMPLES
                                    .valueCodec()
                                    .decode(text.getBytes(StandardCharsets.UTF_8)));
                    refs.add(jsonl + " line " + line);
                } catch (RecordValidationException e) {
                    throw new DataFormatException(jsonl.toString(), line, null, e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jsonl, e);
        }
        if (examples.isEmpty()) {
            throw new DataFormatException(jsonl.toString(), 0, null, "no training examples");
        }
        return new Result(toTable(jsonl.toString(), examples, refs), examples.get(0).featureSet());
    }

    /**
     * A table of examples of one feature set. Features missing from an example are NaN (imputed
     * with the training mean).
     */
    public static BuildTable toTable(
            String source, List<TrainingExample> examples, List<String> refs) {
        String featureSet = examples.get(0).featureSet();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < examples.size(); i++) {
            TrainingExample e = examples.get(i);
            if (!e.featureSet().equals(featureSet)) {
                throw new DataFormatException(
                        source,
                        0,
                        null,
                        refs.get(i)
                                + " ("
                                + e.repo()
                                + "#"
                                + e.subjectId()
                                + ") has feature set '"
                                + e.featureSet()
                                + "' but the first example has '"
                                + featureSet
                                + "'; train one feature set at a time");
            }
            names.addAll(e.features().keySet());
        }
        List<String> featureNames = List.copyOf(names);
        List<LabeledBuild> builds = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            TrainingExample e = examples.get(i);
            double[] f = new double[featureNames.size()];
            for (int k = 0; k < f.length; k++) {
                Double v = e.features().get(featureNames.get(k));
                f[k] = v == null ? Double.NaN : v;
            }
            builds.add(
                    new LabeledBuild(
                            refs.get(i) + " (" + e.repo() + "#" + e.subjectId() + ")",
                            e.featuresAt(),
                            e.completedAt(),
                            e.success(),
                            f,
                            List.of(e.repo())));
        }
        return new BuildTable(source, featureNames, List.of(REPO_GROUPING), builds);
    }
}

package io.repostream.flink.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The shaded job jar ({@code flink-jobs-<version>-job.jar}) leaves out {@code org.apache.commons:*}
 * and {@code commons-*:*}, counting on the Flink image, but bundles DL4J and ND4J, which use
 * Commons too. This loads the predictor's model path (train-free network, publish record, JSON
 * round trip, {@code SuccessModel.compile}, which checks its scores against DL4J's) from the shaded
 * jar plus only what {@code /opt/flink/lib} of a {@code flink:2.2.1} image holds, in a class loader
 * that sees nothing of the test class path but ml-training's own classes, which play the trainer
 * that publishes the model: the job jar holds the model format (model-format) and not the trainer.
 *
 * <p>flink-dist (the jar in {@code /opt/flink/lib}) is not published to Maven Central, so its
 * content is taken as what it bundles: Flink's own modules and their dependencies, i.e. the jars of
 * this class path in the groups the shade plugin excludes, and of Commons only the artifacts Flink
 * 2.2.1's modules declare (commons-lang3, commons-text, commons-cli, commons-io,
 * commons-collections, commons-math3, commons-compress). DL4J's own commons-collections4,
 * commons-net and commons-codec are left out, as the image lacks them. Commons IO resolves to
 * 2.16.1 here where the image has Flink's 2.15.1 (checked by hand with 2.15.1: the same classes
 * load, see flink-jobs' pom). Runs after {@code package} (surefire execution {@code
 * shaded-job-jar}); in a separate JVM, so ND4J's native library is loaded by this class loader
 * only.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
// set by that execution only; a -Dtest filter also reaches the unit test run, before the jar exists
@EnabledIfSystemProperty(named = "shadedJobJar", matches = ".+")
class ShadedJobJarIT {
    /** Groups the shade plugin leaves to the cluster (flink-jobs/pom.xml), as jar paths. */
    private static final Pattern CLUSTER_GROUPS =
            Pattern.compile(
                    "/(org/apache/flink|com/ververica|org/forstdb|com/esotericsoftware"
                            + "|org/apache/logging/log4j|org/slf4j|org/xerial/snappy|org/lz4"
                            + "|com/github/luben|org/javassist|org/objenesis|com/twitter"
                            + "|org/apache/pekko|org/scala-lang|com/google/code/findbugs"
                            + "|tools/profiler|io/airlift|org/yaml)/");

    /** Commons artifacts Flink 2.2.1's modules depend on, so flink-dist bundles them. */
    private static final Pattern FLINK_COMMONS =
            Pattern.compile(
                    "/(commons-lang3|commons-text|commons-cli|commons-io|commons-collections"
                            + "|commons-math3|commons-compress)-[0-9.]+\\.jar$");

    /** Not Flink's: in the job jar (connectors) or only for tests. */
    private static final Pattern NOT_IN_THE_IMAGE =
            Pattern.compile(
                    "(-tests\\.jar$|/flink-test-utils|/flink-connector-base/"
                            + "|/flink-connector-kafka/|/flink-table-)");

    @Test
    void thePredictorLoadsAndScoresAModelFromTheJobJarOnFlinksLibraries() throws Exception {
        Path jobJar = Path.of(System.getProperty("shadedJobJar"));
        assertThat(jobJar).as("the shaded job jar (run after package)").exists();
        List<URL> urls = new ArrayList<>();
        urls.add(jobJar.toUri().toURL());
        List<String> lib = flinkLib();
        for (String jar : lib) {
            urls.add(new File(jar).toURI().toURL());
        }
        assertThat(lib).anyMatch(j -> j.contains("/flink-runtime-2.2.1.jar"));
        try (JarFile jar = new JarFile(jobJar.toFile())) {
            assertThat(jar.getEntry("io/repostream/model/ModelScorer.class"))
                    .as("the model format is in the job jar")
                    .isNotNull();
            assertThat(jar.stream().map(JarEntry::getName))
                    .as("the trainer is not in the job jar")
                    .noneMatch(name -> name.startsWith("io/repostream/ml/"));
        }
        // the trainer's classes only (its dependencies are the job jar's DL4J and schemas)
        urls.add(trainerClasses().toUri().toURL());

        try (URLClassLoader image =
                new URLClassLoader(
                        urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThat(image.getResource("org/apache/commons/collections4/ListUtils.class"))
                    .as("DL4J's commons-collections4 is not on the image")
                    .isNull();
            assertThat(image.getResource("org/apache/commons/codec/binary/Hex.class")).isNull();
            assertThat(image.getResource("org/apache/commons/net/ftp/FTP.class")).isNull();
            Thread current = Thread.currentThread();
            ClassLoader before = current.getContextClassLoader();
            current.setContextClassLoader(image);
            try {
                scoresAModel(image);
            } finally {
                current.setContextClassLoader(before);
            }
        }
    }

    private static void scoresAModel(ClassLoader image) throws Exception {
        List<String> names = CiFeatures.NAMES;
        int n = names.size();
        double[] means = new double[n];
        double[] stds = new double[n];
        Arrays.fill(stds, 1);
        Class<?> networkClass = image.loadClass("io.repostream.ml.train.SuccessNetwork");
        Object network =
                networkClass
                        .getMethod("create", int.class, long.class, double.class, double.class)
                        .invoke(null, n, 7L, 1e-3, 0.0);
        Class<?> standardizer = image.loadClass("io.repostream.model.Standardizer");
        Object s =
                standardizer
                        .getConstructor(double[].class, double[].class)
                        .newInstance(means, stds);
        Class<?> trainedClass = image.loadClass("io.repostream.ml.train.TrainedModel");
        Object trained =
                trainedClass.getConstructors()[0].newInstance(network, s, names, 0, 0, 0.5);
        Object published =
                image.loadClass("io.repostream.ml.publish.ModelVersions")
                        .getMethod(
                                "of",
                                trainedClass,
                                String.class,
                                String.class,
                                Map.class,
                                String.class,
                                boolean.class,
                                Instant.class)
                        .invoke(
                                null,
                                trained,
                                CiSuccessPredictor.DEFAULT_MODEL_NAME,
                                CiFeatures.FEATURE_SET,
                                Map.of(),
                                "shaded-job-jar check",
                                false,
                                Instant.EPOCH);
        // the record as the job gets it: JSON from github.models.v1
        Object codec =
                image.loadClass("io.repostream.schemas.topics.Topic")
                        .getMethod("valueCodec")
                        .invoke(
                                image.loadClass("io.repostream.schemas.topics.Topics")
                                        .getField("MODELS")
                                        .get(null));
        Class<?> codecClass = image.loadClass("io.repostream.schemas.json.JsonCodec");
        byte[] json =
                (byte[]) codecClass.getMethod("encode", Object.class).invoke(codec, published);
        Object model = codecClass.getMethod("decode", byte[].class).invoke(codec, json);

        // by name: this class must not load the predictor (and ND4J) on the test class path
        Class<?> successModel = image.loadClass("io.repostream.flink.prediction.SuccessModel");
        assertThat(successModel.getClassLoader()).isSameAs(image);
        // compile checks the plain Java scores against DL4J's on probe rows
        Object compiled = successModel.getMethod("compile", model.getClass()).invoke(null, model);
        Map<String, Double> features =
                Map.of(CiFeatures.HOUR_OF_DAY, 10.0, CiFeatures.REPO_RECENT_FAILURE_RATE, 0.4);
        double p =
                (double)
                        successModel
                                .getMethod("successProbability", Map.class)
                                .invoke(compiled, features);
        Object scorer =
                image.loadClass("io.repostream.model.ModelScorer")
                        .getMethod("load", model.getClass())
                        .invoke(null, model);
        double[] dl4j =
                (double[])
                        scorer.getClass()
                                .getMethod("successProbabilitiesOf", List.class)
                                .invoke(scorer, List.of(features));
        assertThat(p).isBetween(0.0, 1.0).isCloseTo(dl4j[0], within(SuccessModel.AGREEMENT));
    }

    /** ml-training's classes (a folder or its jar) on this class path. */
    private static Path trainerClasses() throws Exception {
        String trainer = "io/repostream/ml/train/SuccessNetwork.class";
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path) && Files.isRegularFile(path.resolve(trainer))) {
                return path;
            }
            if (Files.isRegularFile(path) && entry.endsWith(".jar")) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    if (jar.getEntry(trainer) != null) {
                        return path;
                    }
                }
            }
        }
        throw new IllegalStateException("ml-training is not on the test class path");
    }

    /** The jars of this class path that a flink:2.2.1 image's /opt/flink/lib provides. */
    private static List<String> flinkLib() throws Exception {
        List<String> lib = new ArrayList<>();
        for (String jar : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = jar.replace(File.separatorChar, '/');
            boolean cluster =
                    CLUSTER_GROUPS.matcher(path).find() || FLINK_COMMONS.matcher(path).find();
            if (cluster
                    && !NOT_IN_THE_IMAGE.matcher(path).find()
                    && Files.isRegularFile(Path.of(jar))) {
                lib.add(jar);
            }
        }
        return lib;
    }
}

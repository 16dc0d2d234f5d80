package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The root pom's image profiles: Jib stays out of the normal build, and each image-* profile is
 * switched on by a main class that really exists, and names that class. A renamed main class would
 * otherwise silently stop its image from being built.
 */
class ImagesProfileTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static Map<String, Element> profiles;

    @BeforeAll
    static void readRootPom() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document pom = factory.newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
        profiles = new LinkedHashMap<>();
        NodeList nodes = pom.getElementsByTagName("profile");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element profile = (Element) nodes.item(i);
            profiles.put(text(profile, "id"), profile);
        }
    }

    @Test
    void buildsImagesOnlyWhenAskedForAndSkipsJibEverywhereElse() {
        Element images = profiles.get("images");

        assertThat(images).isNotNull();
        assertThat(images.getElementsByTagName("activation").getLength()).isZero();
        assertThat(text(images, "jib.skip")).isEqualTo("true");
        assertThat(text(images, "artifactId")).isEqualTo("jib-maven-plugin");
    }

    @Test
    void buildsAnImageForEachServiceFromAMainClassThatExists() {
        Map<String, String> mainClasses = new LinkedHashMap<>();
        profiles.forEach(
                (id, profile) -> {
                    if (id.startsWith("image-")) {
                        mainClasses.put(
                                id.substring("image-".length()),
                                text(profile, "jib.container.mainClass"));
                    }
                });

        assertThat(mainClasses)
                .containsOnlyKeys(
                        "ingest-bridge", "action-executor", "ml-training", "flink-jobs", "console");
        mainClasses.forEach(
                (module, mainClass) -> {
                    Element profile = profiles.get("image-" + module);
                    String activation = text(profile, "exists").replace("${basedir}", "");
                    Path source = ROOT.resolve(module).resolve(activation.substring(1));
                    assertThat(source).as(module).exists();
                    assertThat(source.toString())
                            .as(module)
                            .endsWith(mainClass.replace('.', '/') + ".java");
                    assertThat(text(profile, "jib.skip")).isEqualTo("false");
                });
    }

    @Test
    void putsTheFlinkJobOnTheFlinkImageWithItsEntrypointAndJarsInUsrlib() throws Exception {
        Element flink = profiles.get("image-flink-jobs");

        assertThat(text(flink, "jib.from.image")).isEqualTo("flink:2.2.1-java17");
        assertThat(text(flink, "jib.container.entrypoint")).isEqualTo("INHERIT");
        // the shaded job jar, alone, in Flink's user library folder
        assertThat(text(flink, "image.extraInto")).isEqualTo("/opt/flink/usrlib");
        assertThat(text(flink, "image.extraIncludes")).endsWith("-job.jar");
        assertThat(text(flink, "image.filterRoot")).isEqualTo(text(flink, "jib.container.appRoot"));
        assertThat(Files.readString(ROOT.resolve("pom.xml")))
                .contains("<flink.version>2.2.1</flink.version>");
    }

    private static String text(Element parent, String tag) {
        NodeList found = parent.getElementsByTagName(tag);
        return found.getLength() == 0 ? null : found.item(0).getTextContent().trim();
    }
}

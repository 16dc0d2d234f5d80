package io.repostream.executor.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every YAML example in the docs ({@code docs/} and the modules' READMEs) is a policy that {@code
 * policy check} accepts, read by the same loader. A YAML block that is not a policy says so in its
 * fence: {@code ```yaml not-a-policy}.
 */
class DocumentedPoliciesTest {
    static final String NOT_A_POLICY = "not-a-policy";
    private static final Pattern FENCE = Pattern.compile("^( *)(```+|~~~+)\\s*(\\S*)\\s*(.*)$");

    @TempDir Path dir;

    /** A fenced YAML block of a Markdown file, starting at {@code line}. */
    record Example(Path file, int line, String yaml) {
        @Override
        public String toString() {
            return root().relativize(file) + ":" + line;
        }
    }

    /** The project's root: the parent of this module's directory, where the tests run. */
    static Path root() {
        return Path.of("").toAbsolutePath().getParent();
    }

    static Stream<Example> policyExamples() throws IOException {
        List<Example> examples = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root())) {
            for (Path md : files.filter(DocumentedPoliciesTest::isDoc).sorted().toList()) {
                examples.addAll(yamlBlocks(md));
            }
        }
        return examples.stream();
    }

    private static boolean isDoc(Path p) {
        Path rel = root().relativize(p);
        for (Path part : rel) {
            String name = part.toString();
            if (name.startsWith(".") || name.equals("target") || name.equals("node_modules")) {
                return false;
            }
        }
        return p.toString().endsWith(".md") && Files.isRegularFile(p);
    }

    /** The YAML blocks of a Markdown file that are policies (not marked otherwise). */
    static List<Example> yamlBlocks(Path md) {
        List<String> lines;
        try {
            lines = Files.readAllLines(md);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Example> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int indent = open.group(1).length();
            String fence = open.group(2);
            boolean yaml = open.group(3).equals("yaml") || open.group(3).equals("yml");
            boolean notAPolicy = List.of(open.group(4).split("\\s+")).contains(NOT_A_POLICY);
            StringBuilder body = new StringBuilder();
            int start = i + 1;
            for (i++; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.strip().startsWith(fence) && line.strip().replace(fence, "").isBlank()) {
                    break;
                }
                body.append(line.length() >= indent ? line.substring(indent) : line.strip());
                body.append('\n');
            }
            if (yaml && !notAPolicy) {
                blocks.add(new Example(md, start, body.toString()));
            }
        }
        return blocks;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policyExamples")
    void everyPolicyExampleInTheDocsPassesPolicyCheck(Example example) throws Exception {
        Path file = Files.writeString(dir.resolve("example.yaml"), example.yaml());

        assertThat(PolicyFiles.read(List.of(file), Instant.EPOCH)).isNotEmpty();
    }

    @Test
    void thePolicyGuidesExampleIsAmongThem() throws Exception {
        assertThat(policyExamples().map(Example::toString))
                .anySatisfy(where -> assertThat(where).startsWith("docs/policy.md:"));
    }
}

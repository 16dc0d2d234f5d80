package io.repostream.executor.reads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.executor.support.Actions;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.TypedTarget;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What a file read sends and what it makes of GitHub's content object. */
class FileReadTest {
    private final FileRead read = new FileRead();

    private static ActionRecord file(String path, String ref) {
        TypedTarget branch = TypedTarget.ref("refs/heads/release");
        ObjectNode params = Actions.params().put("path", path);
        if (ref != null) {
            params.put("ref", ref);
        }
        return Actions.builder(ActionType.READ_FILE, "acme/widgets", branch.legacyTarget(), params)
                .on(branch)
                .build();
    }

    static Stream<String> pathsRefused() {
        return Stream.of(
                "",
                "/etc/passwd",
                "../secrets",
                "docs/../../x",
                "./a",
                "a//b",
                "dir/",
                "a\\b",
                "a\nb");
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("pathsRefused")
    void refusesAPathThatIsNotAFileOfTheRepository(String path) {
        assertThatThrownBy(() -> read.validate(file(path, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("params.path must be");
    }

    @Test
    void readsTheBranchOfItsTargetUnlessARefIsGiven() {
        read.validate(file(".github/CODEOWNERS", null));

        assertThat(read.resource(file(".github/CODEOWNERS", null)))
                .isEqualTo("acme/widgets/contents/.github/CODEOWNERS?ref=release");
        assertThat(read.resource(file(".github/CODEOWNERS", "v1.2.0")))
                .isEqualTo("acme/widgets/contents/.github/CODEOWNERS?ref=v1.2.0");
    }

    @Test
    void decodesBase64InGitHubsLinesAsUtf8AndLeavesOtherBytesWithoutText() {
        String text = "* @acme/core # ü\n".repeat(10);
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        file.put("type", "file").put("encoding", "base64");
        file.put(
                "content",
                Base64.getMimeEncoder(60, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(text.getBytes(StandardCharsets.UTF_8))
                        + "\n");
        ObjectNode binary = file.deepCopy();
        binary.put("content", Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0}));
        ObjectNode large = file.deepCopy().put("encoding", "none").put("content", "");

        assertThat(FileRead.text(file)).contains(text);
        assertThat(FileRead.text(binary)).isEmpty();
        assertThat(FileRead.text(large)).isEmpty();
    }
}

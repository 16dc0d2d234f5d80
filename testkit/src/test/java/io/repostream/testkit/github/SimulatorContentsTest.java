package io.repostream.testkit.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A file's contents at a ref, as GitHub answers them: base64 in lines, blob SHA, ETag, 404s. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SimulatorContentsTest {
    private static final String CONTENTS = "/repos/octo/widgets/contents/";

    private GitHubSimulator simulator;
    private SimulatorHttp http;

    @BeforeEach
    void start() {
        simulator = GitHubSimulator.start();
        simulator.createRepo("octo/widgets");
        http = new SimulatorHttp(simulator.baseUrl(), GitHubSimulator.DEFAULT_TOKEN);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private static String decoded(SimulatorHttp.Response r) {
        return new String(
                Base64.getMimeDecoder().decode(r.json().path("content").asText()),
                StandardCharsets.UTF_8);
    }

    @Test
    void answersAFileOnTheDefaultBranchInBase64LinesWithItsBlobSha() {
        String text = "# owners\n" + "* @octo/core\n".repeat(10) + "docs/ @octo/writers ü\n";
        simulator.putFile("octo/widgets", "main", ".github/CODEOWNERS", text);

        SimulatorHttp.Response r = http.get(CONTENTS + ".github/CODEOWNERS");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("type").asText()).isEqualTo("file");
        assertThat(r.json().path("encoding").asText()).isEqualTo("base64");
        assertThat(r.json().path("name").asText()).isEqualTo("CODEOWNERS");
        assertThat(r.json().path("path").asText()).isEqualTo(".github/CODEOWNERS");
        assertThat(r.json().path("size").asInt())
                .isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        assertThat(r.json().path("content").asText().split("\n")).allMatch(l -> l.length() <= 60);
        assertThat(decoded(r)).isEqualTo(text);
        // git hash-object of the same bytes
        assertThat(ContentRoutes.blobSha("hello\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("ce013625030ba8dba906f756967f9e9ca394464a");
        assertThat(r.json().path("sha").asText())
                .isEqualTo(ContentRoutes.blobSha(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsAtTheRefAskedForAndFollowsMerges() {
        simulator.createBranch("octo/widgets", "feature", "main");
        simulator.putFile("octo/widgets", "feature", "repostream.yml", "sla: {}\n");

        assertThat(http.get(CONTENTS + "repostream.yml?ref=feature").status()).isEqualTo(200);
        assertThat(http.get(CONTENTS + "repostream.yml").status()).isEqualTo(404);
        assertThat(http.get(CONTENTS + "repostream.yml?ref=no-such-branch").status())
                .isEqualTo(404);
        String sha = simulator.branchSha("octo/widgets", "feature");
        assertThat(decoded(http.get(CONTENTS + "repostream.yml?ref=" + sha)))
                .isEqualTo("sla: {}\n");

        int pull =
                simulator.openPullRequest("octo/widgets", "Add config", "octo", "feature", "main");
        http.get("/repos/octo/widgets/pulls/" + pull);
        assertThat(http.put("/repos/octo/widgets/pulls/" + pull + "/merge", "{}").status())
                .isEqualTo(200);
        assertThat(decoded(http.get(CONTENTS + "repostream.yml"))).isEqualTo("sla: {}\n");
    }

    @Test
    void anUnchangedFileIsA304AndAChangedOneANewAnswer() {
        simulator.putFile("octo/widgets", "main", "README.md", "one\n");
        String etag = http.get(CONTENTS + "README.md").header("ETag");

        SimulatorHttp.Response same = http.get(CONTENTS + "README.md", "If-None-Match", etag);
        simulator.putFile("octo/widgets", "main", "README.md", "two\n");
        SimulatorHttp.Response changed = http.get(CONTENTS + "README.md", "If-None-Match", etag);

        assertThat(etag).isNotBlank();
        assertThat(same.status()).isEqualTo(304);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(decoded(changed)).isEqualTo("two\n");
    }

    @Test
    void aMissingPathOrRepositoryIsNotFound() {
        assertThat(http.get(CONTENTS + "nothing/here.txt").status()).isEqualTo(404);
        assertThat(http.get("/repos/octo/nothing/contents/README.md").status()).isEqualTo(404);
    }
}

package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GitHubEventTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static GitHubEvent event(String repo, String org, Long installation) {
        return new GitHubEvent(
                "d1",
                EventSource.WEBHOOK,
                "ping",
                null,
                repo,
                org,
                installation,
                T,
                T,
                JsonNodeFactory.instance.objectNode());
    }

    @Test
    void theKeyIsTheLowercaseRepository() {
        assertThat(event("Octo-Org/Hello-World", "octo-org", 1L).key())
                .isEqualTo("octo-org/hello-world");
    }

    @Test
    void eventsWithoutARepositoryAreKeyedByOrgThenInstallationThenGlobal() {
        assertThat(event(null, "Octo-Org", 7L).key()).isEqualTo("org:octo-org");
        assertThat(event(null, null, 7L).key()).isEqualTo("installation:7");
        assertThat(event(null, null, null).key()).isEqualTo("global");
    }

    @Test
    void withersChangeOneFieldAndKeepEveryOther() {
        GitHubEvent original = event("octo-org/hello-world", "octo-org", null);
        var payload = JsonNodeFactory.instance.objectNode().put("action", "closed");

        GitHubEvent both = original.withPayload(payload).withInstallationId(42L);

        assertThat(both)
                .usingRecursiveComparison()
                .ignoringFields("payload", "installationId")
                .isEqualTo(original);
        assertThat(both.payload()).isEqualTo(payload);
        assertThat(both.installationId()).isEqualTo(42L);
        assertThat(original.installationId()).isNull();
    }

    @Test
    void aRepositoryWithoutOwnerIsRejectedWithTheFieldNamed() {
        assertThatThrownBy(() -> event("hello-world", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("repo must look like owner/repo");
    }

    @Test
    void theQualifiedTypeJoinsTypeAndAction() {
        assertThat(SampleRecords.event().qualifiedType()).isEqualTo("issues.opened");
        assertThat(event(null, null, null).qualifiedType()).isEqualTo("ping");
    }
}

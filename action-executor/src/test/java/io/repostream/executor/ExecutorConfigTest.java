package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExecutorConfigTest {

    @Test
    void toStringMasksTheGitHubTokenAndTheAdminToken() {
        ExecutorConfig config =
                ExecutorConfig.defaults("127.0.0.1:9092", "https://api.github.com", "ghp_secret123")
                        .withAdmin(0, "admin-secret-456-0123456789abcdef");
        assertThat(config.toString())
                .doesNotContain("ghp_secret123")
                .doesNotContain("admin-secret-456-0123456789abcdef")
                .contains("githubToken=****")
                .contains("adminToken=****")
                .contains("127.0.0.1:9092");
    }

    @Test
    void defaultsFollowGitHubsDocumentedLimits() {
        ExecutorConfig config = ExecutorConfig.defaults("k:1", "https://api.github.com/", "t");
        assertThat(config.writeSpacing()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.contentCreationsPerMinute()).isEqualTo(80);
        assertThat(config.contentCreationsPerHour()).isEqualTo(500);
        assertThat(config.maxConcurrentRequests()).isEqualTo(100);
        assertThat(config.githubApiUrl()).isEqualTo("https://api.github.com");
        assertThat(config.adminEnabled()).isFalse();
        assertThat(config.groupId()).isEqualTo(ExecutorConfig.DEFAULT_GROUP_ID);
    }

    @Test
    void refusesAMissingTokenWithoutEchoingAnything() {
        assertThatThrownBy(() -> ExecutorConfig.defaults("k:1", "https://api.github.com", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GitHub token is required");
    }
}

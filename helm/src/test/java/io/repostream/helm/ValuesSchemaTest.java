package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** values.schema.json turns mistakes into clear install-time errors, and never echoes a secret. */
@Timeout(120)
class ValuesSchemaTest {
    private static final String PLAIN_SECRET = "hunter2-plain-text-secret";

    @Test
    void refusesAWebhookSecretGivenInPlainTextWithoutRepeatingIt() {
        assertThatThrownBy(
                        () ->
                                Chart.render(
                                        ValueSet.DEFAULTS,
                                        Map.of("bridge.webhook.secret", PLAIN_SECRET)))
                .hasMessageContaining("/bridge/webhook")
                .hasMessageContaining("secret")
                .message()
                .doesNotContain(PLAIN_SECRET);
    }

    @Test
    void refusesAGitHubTokenGivenInPlainTextWithoutRepeatingIt() {
        assertThatThrownBy(
                        () -> Chart.render(ValueSet.DEFAULTS, Map.of("github.token", PLAIN_SECRET)))
                .hasMessageContaining("/github")
                .message()
                .doesNotContain(PLAIN_SECRET);
    }

    @Test
    void refusesWebhookSecretsWrittenIntoTheBridgesSettingsFile() {
        assertThatThrownBy(
                        () ->
                                Chart.render(
                                        ValueSet.DEFAULTS,
                                        Map.of("bridge.config.webhook.secrets[0]", PLAIN_SECRET)))
                .hasMessageContaining("/bridge/config/webhook")
                .message()
                .doesNotContain(PLAIN_SECRET);
    }

    @Test
    void refusesGitHubAppAuthenticationWithoutTheAppsId() {
        assertThatThrownBy(() -> Chart.render(ValueSet.DEFAULTS, Map.of("github.auth", "app")))
                .hasMessageContaining("/github/app");
    }

    @Test
    void refusesASingleBridgeReplica() {
        assertThatThrownBy(() -> Chart.render(ValueSet.DEFAULTS, Map.of("bridge.replicas", 1)))
                .hasMessageContaining("/bridge/replicas");
    }

    @Test
    void refusesAnUpgradeModeTheOperatorDoesNotKnow() {
        assertThatThrownBy(
                        () -> Chart.render(ValueSet.DEFAULTS, Map.of("flink.upgradeMode", "fast")))
                .hasMessageContaining("/flink/upgradeMode");
    }

    @Test
    void refusesCheckpointStorageThatIsNotAUri() {
        assertThatThrownBy(
                        () ->
                                Chart.render(
                                        ValueSet.DEFAULTS,
                                        Map.of("flink.storage.checkpoints", "/tmp/checkpoints")))
                .hasMessageContaining("/flink/storage/checkpoints");
    }
}

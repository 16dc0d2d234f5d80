package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.fixtures.WebhookExamples;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Secret rotation, per-org and per-repo secrets, SHA-1 opt-in, and ingest filters over HTTP. */
@ExtendWith({VertxExtension.class, KafkaAndGitHub.class})
@Timeout(90)
class SecretsAndFiltersTest {
    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        kafka = broker;
    }

    private static BridgeConfig config(WebhookSecrets secrets) {
        return BridgeConfig.defaults()
                .withKafkaBootstrapServers(kafka.bootstrapServers())
                .withSecrets(secrets)
                .withEventLoops(1);
    }

    /** The issues.opened example belongs to repository Codertocat/Hello-World. */
    private static WebhookDelivery issueOpened(String secret) {
        return WebhookDelivery.builder()
                .example(WebhookExamples.first("issues", "opened"))
                .secret(secret)
                .build();
    }

    @Test
    void duringARotationBothTheOldAndTheNewSecretAreAccepted(Vertx vertx) {
        try (IngestBridge bridge =
                        IngestBridge.start(config(WebhookSecrets.global("old-one", "new-one")));
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            assertThat(client.post(issueOpened("old-one")).status()).isEqualTo(202);
            assertThat(client.post(issueOpened("new-one")).status()).isEqualTo(202);
            assertThat(client.post(issueOpened("another")).status()).isEqualTo(401);
        }
    }

    @Test
    void aRepositoryWithItsOwnSecretRefusesTheOrgAndGlobalSecrets(Vertx vertx) {
        WebhookSecrets secrets =
                WebhookSecrets.global("global-secret")
                        .withOrg("codertocat", "org-secret")
                        .withRepo("codertocat/hello-world", "repo-secret");
        try (IngestBridge bridge = IngestBridge.start(config(secrets));
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            WebhookDelivery withGlobal = issueOpened("global-secret");
            WebhookDelivery withOrg = issueOpened("org-secret");
            WebhookDelivery withRepo = issueOpened("repo-secret");

            assertThat(client.post(withGlobal).status()).isEqualTo(401);
            assertThat(client.post(withOrg).status()).isEqualTo(401);
            assertThat(client.post(withRepo).status()).isEqualTo(202);
            assertThat(eventIds())
                    .contains(withRepo.deliveryId())
                    .doesNotContain(withGlobal.deliveryId(), withOrg.deliveryId());
        }
    }

    @Test
    void anOrganisationSecretAppliesToItsRepositoriesAndNotToOthers(Vertx vertx) {
        WebhookSecrets secrets =
                WebhookSecrets.global("global-secret").withOrg("codertocat", "org-secret");
        try (IngestBridge bridge = IngestBridge.start(config(secrets));
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            assertThat(client.post(issueOpened("org-secret")).status()).isEqualTo(202);
            assertThat(client.post(issueOpened("global-secret")).status()).isEqualTo(401);

            WebhookDelivery elsewhere =
                    WebhookDelivery.builder()
                            .event("issues")
                            .body(
                                    "{\"action\":\"opened\",\"repository\":"
                                            + "{\"full_name\":\"someone/else\"}}")
                            .secret("global-secret")
                            .build();
            assertThat(client.post(elsewhere).status()).isEqualTo(202);
        }
    }

    @Test
    void sha1SignaturesAreAcceptedOnlyWhenExplicitlyAllowed(Vertx vertx) {
        WebhookDelivery signed = issueOpened("sha1-secret");
        Map<String, String> sha1Only = new LinkedHashMap<>(signed.headers());
        sha1Only.remove("X-Hub-Signature-256");
        try (IngestBridge strict =
                        IngestBridge.start(config(WebhookSecrets.global("sha1-secret")));
                WebhookClient client = new WebhookClient(vertx, strict.port())) {
            assertThat(client.post(sha1Only, Buffer.buffer(signed.body())).status()).isEqualTo(401);
        }
        try (IngestBridge lenient =
                        IngestBridge.start(
                                config(WebhookSecrets.global("sha1-secret"))
                                        .withAllowSha1Signatures(true));
                WebhookClient client = new WebhookClient(vertx, lenient.port())) {
            assertThat(client.post(sha1Only, Buffer.buffer(signed.body())).status()).isEqualTo(202);

            Map<String, String> badSha1 = new LinkedHashMap<>(sha1Only);
            badSha1.put("X-Hub-Signature", "sha1=" + "0".repeat(40));
            WebhookDelivery other = issueOpened("sha1-secret");
            badSha1.put("X-GitHub-Delivery", other.deliveryId());
            assertThat(client.post(badSha1, Buffer.buffer(signed.body())).status()).isEqualTo(401);
        }
    }

    @Test
    void eventsOfOwnersOutsideTheFilterAreAnsweredButNotWrittenAndCounted(Vertx vertx) {
        BridgeConfig config =
                config(WebhookSecrets.global("filter-secret"))
                        .withFilter(new IngestFilter(Set.of("allowed-org"), Set.of("watch")));
        try (IngestBridge bridge = IngestBridge.start(config);
                WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            WebhookDelivery foreign = issueOpened("filter-secret");
            WebhookDelivery allowed =
                    WebhookDelivery.builder()
                            .event("issues")
                            .body(
                                    "{\"action\":\"opened\",\"repository\":"
                                            + "{\"full_name\":\"Allowed-Org/app\"}}")
                            .secret("filter-secret")
                            .build();
            WebhookDelivery ignoredType =
                    WebhookDelivery.builder()
                            .event("watch")
                            .body(
                                    "{\"action\":\"started\",\"repository\":"
                                            + "{\"full_name\":\"allowed-org/app\"}}")
                            .secret("filter-secret")
                            .build();

            WebhookClient.Reply dropped = client.post(foreign);
            assertThat(dropped.status()).isEqualTo(200);
            assertThat(dropped.message()).contains("owner_not_allowed");
            assertThat(client.post(ignoredType).status()).isEqualTo(200);
            assertThat(client.post(allowed).status()).isEqualTo(202);

            String metrics = client.get("/metrics").body();
            assertThat(metrics)
                    .contains(
                            "repostream_bridge_filtered_total{event=\"issues\",reason=\"owner_not_allowed\"} 1.0")
                    .contains(
                            "repostream_bridge_filtered_total{event=\"watch\",reason=\"event_ignored\"} 1.0");
            assertThat(eventIds())
                    .contains(allowed.deliveryId())
                    .doesNotContain(foreign.deliveryId(), ignoredType.deliveryId());
        }
    }

    private static java.util.List<String> eventIds() {
        return TopicContents.values(kafka, Topics.EVENTS).stream()
                .map(GitHubEvent::eventId)
                .toList();
    }
}

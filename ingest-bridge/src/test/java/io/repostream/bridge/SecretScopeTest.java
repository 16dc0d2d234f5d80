package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookDelivery;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which secret may sign a delivery: the scope is the owner in {@code repository.full_name} (its
 * repository's own secret first), {@code organization.login} only for events without a repository,
 * else the global secrets. A delivery signed with any other scope's secret is refused, whatever
 * else the payload claims (issue 13, item 4).
 */
@ExtendWith({VertxExtension.class, KafkaAndGitHub.class})
@Timeout(120)
class SecretScopeTest {
    private static final WebhookSecrets SECRETS =
            WebhookSecrets.global("global-secret")
                    .withOrg("victim-org", "victim-old", "victim-new")
                    .withOrg("attacker-org", "attacker-secret")
                    .withRepo("victim-org/special", "special-secret");

    private static EmbeddedKafkaBroker kafka;
    private static IngestBridge bridge;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        kafka = broker;
        bridge =
                IngestBridge.start(
                        BridgeConfig.defaults()
                                .withKafkaBootstrapServers(kafka.bootstrapServers())
                                .withSecrets(SECRETS)
                                .withEventLoops(1));
    }

    @AfterAll
    static void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    private static final String VICTIM_APP = "\"repository\":{\"full_name\":\"Victim-Org/app\"}";

    static Stream<Arguments> deliveries() {
        return Stream.of(
                // a repository event: its owner's secret, both during a rotation
                row(
                        "repo event signed with its owner's secret",
                        "issues",
                        VICTIM_APP,
                        "victim-old",
                        202),
                row(
                        "repo event signed with its owner's new secret",
                        "issues",
                        VICTIM_APP,
                        "victim-new",
                        202),
                row(
                        "repo event of an org with a secret, signed with the global one",
                        "issues",
                        VICTIM_APP,
                        "global-secret",
                        401),
                row(
                        "repo event signed with another org's secret",
                        "issues",
                        VICTIM_APP,
                        "attacker-secret",
                        401),
                // the two attacks of the issue: organization.login does not choose the secret
                row(
                        "attack: organization.login names the attacker's org, signed with its secret",
                        "issues",
                        VICTIM_APP + ",\"organization\":{\"login\":\"attacker-org\"}",
                        "attacker-secret",
                        401),
                row(
                        "attack: organization.login names an unknown org, signed with the global secret",
                        "issues",
                        VICTIM_APP + ",\"organization\":{\"login\":\"nobody-knows\"}",
                        "global-secret",
                        401),
                row(
                        "a mismatching organization.login does not stop the owner's secret",
                        "issues",
                        VICTIM_APP + ",\"organization\":{\"login\":\"attacker-org\"}",
                        "victim-new",
                        202),
                // repository.owner is not the scope either, whatever its type
                row(
                        "repository.owner an organisation other than full_name's owner",
                        "issues",
                        "\"repository\":{\"full_name\":\"victim-org/app\",\"owner\":{\"login\":\"attacker-org\",\"type\":\"Organization\"}}",
                        "attacker-secret",
                        401),
                row(
                        "repository.owner a user with an org secret by that login",
                        "issues",
                        "\"repository\":{\"full_name\":\"victim-org/app\",\"owner\":{\"login\":\"victim-org\",\"type\":\"User\"}}",
                        "victim-old",
                        202),
                // a repository with its own secret
                row(
                        "a repository's own secret",
                        "issues",
                        "\"repository\":{\"full_name\":\"victim-org/special\"}",
                        "special-secret",
                        202),
                row(
                        "a repository with its own secret refuses its org's",
                        "issues",
                        "\"repository\":{\"full_name\":\"victim-org/special\"}",
                        "victim-old",
                        401),
                row(
                        "a repository with its own secret refuses the global one",
                        "issues",
                        "\"repository\":{\"full_name\":\"victim-org/special\"}",
                        "global-secret",
                        401),
                row(
                        "a repository's secret is not valid for its siblings",
                        "issues",
                        VICTIM_APP,
                        "special-secret",
                        401),
                // owners without a secret of their own: the global one
                row(
                        "an owner without a secret uses the global one",
                        "issues",
                        "\"repository\":{\"full_name\":\"someone/else\"},\"organization\":{\"login\":\"victim-org\"}",
                        "global-secret",
                        202),
                row(
                        "an owner without a secret refuses an org's",
                        "issues",
                        "\"repository\":{\"full_name\":\"someone/else\"},\"organization\":{\"login\":\"victim-org\"}",
                        "victim-old",
                        401),
                // events without a repository: organization.login
                row(
                        "org-only event signed with the org's secret",
                        "organization",
                        "\"organization\":{\"login\":\"Victim-Org\"}",
                        "victim-new",
                        202),
                row(
                        "org-only event of an org with a secret, signed with the global one",
                        "organization",
                        "\"organization\":{\"login\":\"victim-org\"}",
                        "global-secret",
                        401),
                row(
                        "org-only event of an org without a secret",
                        "organization",
                        "\"organization\":{\"login\":\"other-org\"}",
                        "global-secret",
                        202),
                // neither: global
                row(
                        "no repository and no organisation: the global secret",
                        "github_app_authorization",
                        "\"sender\":{\"login\":\"octocat\"}",
                        "global-secret",
                        202),
                row(
                        "no repository and no organisation refuses an org's secret",
                        "github_app_authorization",
                        "\"sender\":{\"login\":\"victim-org\"}",
                        "victim-old",
                        401));
    }

    private static Arguments row(
            String name, String event, String fields, String secret, int status) {
        return Arguments.of(name, event, "{\"action\":\"x\"," + fields + "}", secret, status);
    }

    @ParameterizedTest(name = "{0}: {4}")
    @MethodSource("deliveries")
    void onlyTheSecretOfTheDeliverysOwnScopeIsAccepted(
            String name, String event, String body, String secret, int status, Vertx vertx) {
        WebhookDelivery delivery =
                WebhookDelivery.builder().event(event).body(body).secret(secret).build();
        try (WebhookClient client = new WebhookClient(vertx, bridge.port())) {
            WebhookClient.Reply reply = client.post(delivery);

            assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
            if (status == 401) {
                assertThat(reply.body()).doesNotContain(secret);
            }
        }
        boolean stored =
                TopicContents.values(kafka, Topics.EVENTS).stream()
                        .map(GitHubEvent::eventId)
                        .anyMatch(delivery.deliveryId()::equals);
        assertThat(stored).as("in Kafka").isEqualTo(status == 202);
    }
}

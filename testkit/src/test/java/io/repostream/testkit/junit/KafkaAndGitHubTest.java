package io.repostream.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs a class that uses {@link KafkaAndGitHub} through the JUnit launcher, as Maven runs a test
 * class, to see what its methods get and what is left running after it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaAndGitHubTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyMethodOfAClassGetsTheSameBrokerAndSimulatorAndBothAreClosedAfterIt() {
        TestExecutionSummary summary = run(UsesBoth.class);

        assertThat(summary.getTotalFailureCount())
                .as("failures: %s", summary.getFailures())
                .isZero();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(3);
        assertThat(UsesBoth.kafka.isRunning()).isFalse();
        assertThatThrownBy(() -> status(UsesBoth.github))
                .as("the simulator's port no longer answers")
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void eachClassGetsItsOwn() {
        TestExecutionSummary first = run(UsesBoth.class);
        EmbeddedKafkaBroker firstBroker = UsesBoth.kafka;
        GitHubSimulator firstSimulator = UsesBoth.github;
        TestExecutionSummary second = run(UsesBoth.class);

        assertThat(first.getTotalFailureCount() + second.getTotalFailureCount()).isZero();
        assertThat(UsesBoth.kafka).isNotSameAs(firstBroker);
        assertThat(UsesBoth.github).isNotSameAs(firstSimulator);
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create()
                .execute(
                        LauncherDiscoveryRequestBuilder.request()
                                .selectors(DiscoverySelectors.selectClass(testClass))
                                .build(),
                        listener);
        return listener.getSummary();
    }

    private static int status(GitHubSimulator github) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(github.baseUrl() + "/rate_limit"))
                                .header("Authorization", "Bearer " + GitHubSimulator.DEFAULT_TOKEN)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** Run only through {@link #run}; what it saw stays in its static fields. */
    @ExtendWith(KafkaAndGitHub.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    static class UsesBoth {
        static EmbeddedKafkaBroker kafka;
        static GitHubSimulator github;

        @BeforeAll
        static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
            kafka = broker;
            github = simulator;
        }

        @BeforeEach
        void eachTest(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
            assertThat(broker).isSameAs(kafka);
            assertThat(simulator).isSameAs(github);
        }

        @Test
        void theBrokerHasEveryTopicAndTheSimulatorAnswers(
                EmbeddedKafkaBroker broker, GitHubSimulator simulator) throws Exception {
            assertThat(broker).isSameAs(kafka);
            assertThat(simulator).isSameAs(github);
            try (Admin admin = Admin.create(broker.adminProps())) {
                Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                assertThat(names).containsAll(Topics.all().stream().map(Topic::name).toList());
            }
            assertThat(status(simulator)).isEqualTo(200);
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        void everyRunOfAParameterizedTestToo(int run, EmbeddedKafkaBroker broker) {
            assertThat(broker).as("run %d", run).isSameAs(kafka);
        }

        @AfterAll
        static void stillRunningInAfterAll() throws Exception {
            assertThat(kafka.isRunning()).isTrue();
            assertThat(status(github)).isEqualTo(200);
        }
    }
}

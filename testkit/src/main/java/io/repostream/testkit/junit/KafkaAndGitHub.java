package io.repostream.testkit.junit;

import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One in-process broker with every topic ({@link Topics#all()}) and one {@link GitHubSimulator} for
 * a whole test class. With {@code @ExtendWith(KafkaAndGitHub.class)}, a {@code @BeforeAll},
 * {@code @BeforeEach} or test method takes an {@link EmbeddedKafkaBroker} or a {@link
 * GitHubSimulator} parameter:
 *
 * <pre>{@code
 * @BeforeAll
 * static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
 *     kafka = broker;
 *     github = simulator;
 *     github.createRepo(REPO); // what the class needs beyond that, it sets up itself
 * }
 * }</pre>
 *
 * Each is started the first time a method of the class asks for it (a class that takes only the
 * broker starts no simulator); every method of the class gets the same one; both are closed after
 * the class's {@code @AfterAll} methods, which may still use them.
 */
public final class KafkaAndGitHub implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaAndGitHub.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedKafkaBroker.class || type == GitHubSimulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // the class's store closes what it holds (both are AutoCloseable) when the class is done
        ExtensionContext.Store store = classOf(context).getStore(NAMESPACE);
        if (parameter.getParameter().getType() == EmbeddedKafkaBroker.class) {
            return store.getOrComputeIfAbsent(
                    EmbeddedKafkaBroker.class,
                    type -> brokerWithAllTopics(),
                    EmbeddedKafkaBroker.class);
        }
        return store.getOrComputeIfAbsent(
                GitHubSimulator.class, type -> GitHubSimulator.start(), GitHubSimulator.class);
    }

    private static EmbeddedKafkaBroker brokerWithAllTopics() {
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start();
        try {
            kafka.createTopics(Topics.all());
            return kafka;
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** The test class's context, also when a test method (or one run of it) asks. */
    private static ExtensionContext classOf(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent()) {
            c = c.getParent().orElseThrow();
        }
        return c;
    }
}

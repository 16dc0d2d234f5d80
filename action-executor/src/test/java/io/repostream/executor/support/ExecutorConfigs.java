package io.repostream.executor.support;

import io.repostream.executor.ExecutorConfig;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;

/** The executor as the tests run it against the GitHub simulator. */
public final class ExecutorConfigs {
    private ExecutorConfigs() {}

    /**
     * As the simulator's default user, in consumer group {@code group}, without pacing: the tests'
     * writes need not be spaced out the way GitHub wants them.
     */
    public static ExecutorConfig forSimulator(
            EmbeddedKafkaBroker kafka, GitHubSimulator github, String group) {
        return forSimulator(kafka, github, GitHubSimulator.DEFAULT_TOKEN, group);
    }

    /** The same with {@code token}. */
    public static ExecutorConfig forSimulator(
            EmbeddedKafkaBroker kafka, GitHubSimulator github, String token, String group) {
        return ExecutorConfig.defaults(kafka.bootstrapServers(), github.baseUrl(), token)
                .withGroupId(group)
                .withoutPacing();
    }
}

package io.repostream.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.RepeatedTest;

class BrokerConfigTest {
    /**
     * A port released by one search and handed out again by the next once gave the client and the
     * controller listeners the same port, and Kafka refused to start (CI, 2026-11-22).
     */
    @RepeatedTest(200)
    void givesEveryListenerItsOwnPort() {
        BrokerConfig config = BrokerConfig.onFreePorts(Path.of("unused"), "user", "secret");

        int[] ports = {config.brokerPort(), config.controllerPort(), config.sasl().port()};
        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(3);
        assertThat(Arrays.stream(ports).min().getAsInt()).isPositive();
    }

    @RepeatedTest(50)
    void findsDistinctPortsEvenWhenAskedForMany() {
        int[] ports = BrokerConfig.distinctFreeLoopbackPorts(16);
        assertThat(ports).doesNotHaveDuplicates();
    }
}

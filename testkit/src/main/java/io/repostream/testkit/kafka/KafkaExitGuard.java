package io.repostream.testkit.kafka;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker that meets a fatal fault ends its process through Kafka's {@link Exit}. In a test JVM
 * that would take every other test (and the surefire fork) with it and leave only "the forked VM
 * terminated"; this turns the request into a logged error and an exception on the broker thread, as
 * Kafka's own test harness does.
 */
final class KafkaExitGuard {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaExitGuard.class);
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private KafkaExitGuard() {}

    static void install() {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        Exit.Procedure refuse =
                (status, message) -> {
                    LOG.error(
                            "the embedded Kafka broker asked to end the JVM ({}): {}",
                            status,
                            message);
                    throw new IllegalStateException(
                            "embedded Kafka broker asked to end the JVM ("
                                    + status
                                    + "): "
                                    + message);
                };
        Exit.setExitProcedure(refuse);
        Exit.setHaltProcedure(refuse);
    }
}

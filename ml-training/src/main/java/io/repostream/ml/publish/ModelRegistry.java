package io.repostream.ml.publish;

import io.repostream.schemas.ModelVersion;
import io.repostream.schemas.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The published models on {@code github.models.v1}, keyed by model name: the latest record of a
 * name is its champion.
 */
public final class ModelRegistry {
    private final Map<String, Object> clientProps;
    private final Duration timeout;

    /**
     * @param clientProps at least {@code bootstrap.servers}; never logged (may hold credentials)
     * @param timeout bound on each read or write
     */
    public ModelRegistry(Map<String, Object> clientProps, Duration timeout) {
        this.clientProps = Map.copyOf(clientProps);
        this.timeout = timeout;
    }

    /** The latest model published under {@code modelName}, if any (a tombstone clears it). */
    public Optional<ModelVersion> champion(String modelName) throws TimeoutException {
        List<TopicSnapshot.Entry<ModelVersion>> entries =
                TopicSnapshot.read(Topics.MODELS, clientProps, timeout);
        ModelVersion latest = null;
        for (TopicSnapshot.Entry<ModelVersion> e : entries) {
            if (modelName.equals(e.key())) {
                latest = e.value();
            }
        }
        return Optional.ofNullable(latest);
    }

    /** Writes the model durably (all in-sync replicas) and returns where it landed. */
    public RecordMetadata publish(ModelVersion model) throws TimeoutException {
        Map<String, Object> props = new HashMap<>(clientProps);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, ModelVersion> producer =
                new KafkaProducer<>(
                        props, new StringSerializer(), Topics.MODELS.valueSerde().serializer())) {
            return producer.send(
                            new ProducerRecord<>(Topics.MODELS.name(), model.modelName(), model))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "publishing model "
                            + model.modelName()
                            + " "
                            + model.version()
                            + " to "
                            + Topics.MODELS.name()
                            + " failed: "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing a model", e);
        }
    }
}

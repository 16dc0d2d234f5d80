package io.repostream.schemas.topics;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Extra Kafka client properties that every repostream service accepts from one file: how to reach a
 * secured cluster ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}) and client tuning. The
 * file is in Kafka's own {@code client.properties} format, the one {@code kafka-console-*
 * --command-config} reads, so the same Secret serves Kafka's tools and repostream.
 *
 * <p>Settings that repostream's delivery guarantees rest on (acknowledgements, idempotence,
 * transactions, isolation, offsets, serdes, group ids) cannot be overridden: a file that sets one
 * is refused with a message naming it. Values are never shown in errors or logs ({@link
 * #describe}): {@code sasl.jaas.config} and {@code ssl.*.password} are secrets.
 */
public final class KafkaClientProperties {
    /** The environment variable every service reads the file's path from. */
    public static final String ENV_FILE = "REPOSTREAM_KAFKA_PROPERTIES_FILE";

    /** Set by repostream itself; see the class comment. */
    public static final Set<String> MANAGED =
            Set.of(
                    CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                    ProducerConfig.ACKS_CONFIG,
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    ConsumerConfig.GROUP_ID_CONFIG,
                    ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);

    private KafkaClientProperties() {}

    /**
     * Reads a {@code client.properties} file.
     *
     * @throws IllegalArgumentException naming the file (never a value) when it is missing,
     *     unreadable, or sets a property repostream manages
     */
    public static Map<String, String> load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Kafka properties file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            // Properties.load's IllegalArgumentException ("malformed \\uxxxx") may quote the value
            throw new IllegalArgumentException(
                    "Kafka properties file " + file + " cannot be read: " + e.getClass().getName());
        }
        Map<String, String> props = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            props.put(key.trim(), p.getProperty(key).trim());
        }
        return check(props, "Kafka properties file " + file);
    }

    /**
     * Checks extra properties from any source ({@code where} names it in errors).
     *
     * @return an unmodifiable copy
     * @throws IllegalArgumentException when a property repostream manages is set
     */
    public static Map<String, String> check(Map<String, String> props, String where) {
        if (props == null || props.isEmpty()) {
            return Map.of();
        }
        Set<String> managed = new java.util.TreeSet<>(props.keySet());
        managed.retainAll(MANAGED);
        if (!managed.isEmpty()) {
            throw new IllegalArgumentException(
                    where
                            + " sets "
                            + String.join(", ", managed)
                            + ", which repostream sets itself for its delivery guarantees"
                            + (managed.contains(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                                    ? " (give bootstrap servers with the service's own option)"
                                    : ""));
        }
        for (Map.Entry<String, String> e : props.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null) {
                throw new IllegalArgumentException(where + " has an empty property name or value");
            }
        }
        return Map.copyOf(props);
    }

    /**
     * Reads {@link #ENV_FILE} if set, else nothing.
     *
     * @param env the environment (usually {@code System.getenv()})
     */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        String file = env.get(ENV_FILE);
        return file == null || file.isBlank() ? Map.of() : load(Path.of(file.trim()));
    }

    /**
     * Whether {@code key} holds a credential ({@code sasl.jaas.config}, {@code *.password}): such a
     * setting belongs in a file, never on a command line, where {@code ps} shows it to every user
     * of the machine.
     */
    public static boolean isCredential(String key) {
        String k = key == null ? "" : key.strip();
        return k.equals(SaslConfigs.SASL_JAAS_CONFIG) || k.endsWith(".password");
    }

    /** The property names, sorted, without their values: safe for logs and {@code toString}. */
    public static String describe(Map<String, String> props) {
        return props == null ? "[]" : new TreeMap<>(props).keySet().toString();
    }

    /** {@code base} with the extra properties under it: repostream's own settings win. */
    public static Map<String, Object> under(Map<String, String> extra, Map<String, Object> base) {
        Map<String, Object> merged = new java.util.HashMap<>(extra == null ? Map.of() : extra);
        merged.putAll(base);
        return merged;
    }
}

package io.repostream.testkit.kafka;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/** Formats a log directory for a KRaft node, as {@code kafka-storage.sh format} does. */
final class KRaftStorage {
    private KRaftStorage() {}

    /** A directory that already holds a node's {@code meta.properties} is reused as it is. */
    static void formatIfNeeded(Path logDir, int nodeId, String controllerListener) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(
                            new PrintStream(
                                    OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8))
                    .setNodeId(nodeId)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName(controllerListener)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format KRaft storage in " + logDir, e);
        }
    }
}

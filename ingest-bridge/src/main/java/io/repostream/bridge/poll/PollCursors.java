package io.repostream.bridge.poll;

import com.fasterxml.jackson.core.type.TypeReference;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where polling stopped, per repository: the feed's ETag and the newest event id written. Kept in a
 * JSON file (replaced atomically) so a restarted bridge asks GitHub "anything since?" instead of
 * starting over.
 */
public final class PollCursors {
    /**
     * @param etag the last feed ETag @param lastEventId the newest event id written to Kafka
     */
    public record Cursor(String etag, long lastEventId) {
        static final Cursor START = new Cursor(null, 0);
    }

    private final Path file;
    private final Map<String, Cursor> cursors = new TreeMap<>();

    public PollCursors(Path file) {
        this.file = file;
        if (file != null && Files.exists(file)) {
            try {
                cursors.putAll(
                        Json.mapper()
                                .readValue(
                                        file.toFile(),
                                        new TypeReference<Map<String, Cursor>>() {}));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read poll cursors from " + file, e);
            }
        }
    }

    public synchronized Cursor get(String repo) {
        return cursors.getOrDefault(repo, Cursor.START);
    }

    public synchronized void put(String repo, Cursor cursor) {
        cursors.put(repo, cursor);
        if (file == null) {
            return;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Json.mapper().writeValue(tmp.toFile(), cursors);
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save poll cursors to " + file, e);
        }
    }
}

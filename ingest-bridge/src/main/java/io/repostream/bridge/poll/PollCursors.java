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
 * Where polling stopped, per repository and list ({@code owner/repo} for the event feed, {@code
 * owner/repo/actions/runs}, {@code owner/repo/issues}, {@code owner/repo/pulls}; and pull mode's
 * {@code app/hook/deliveries}, whose {@code lastEventId} is the newest delivery id stored): the
 * ETag and how far the list was read. Kept in a JSON file (replaced atomically) so a restarted
 * bridge asks GitHub "anything since?" instead of starting over; a file of an older bridge (without
 * the newer fields) reads as scans not under way.
 */
public final class PollCursors {
    /**
     * @param etag the last ETag of the list's first page
     * @param lastEventId the event feed: the newest event id written to Kafka; the issues and pulls
     *     lists: the {@code since} of the scan, in epoch seconds
     * @param page the issues and pulls lists: the page a scan that stopped at the page bound goes
     *     on from (0 = a new scan from page 1)
     * @param scanNewest the pulls list: the newest {@code updated_at} (epoch seconds) seen by the
     *     scan under way, the next scan's {@code since}
     */
    public record Cursor(String etag, long lastEventId, int page, long scanNewest) {
        static final Cursor START = new Cursor(null, 0);

        public Cursor(String etag, long lastEventId) {
            this(etag, lastEventId, 0, 0);
        }
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

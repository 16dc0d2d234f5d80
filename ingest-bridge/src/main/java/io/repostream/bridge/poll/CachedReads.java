package io.repostream.bridge.poll;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Polling's reads of single resources (an issue, a pull request, a run's jobs), asked
 * conditionally: each answer is kept with its ETag, the next read of the same resource sends it as
 * {@code If-None-Match}, and an unchanged resource comes back as a {@code 304}, which costs no
 * quota, and is read from here. Bounded (least recently used first out); one poller thread uses it.
 */
final class CachedReads {
    /** Resources whose last answer is kept. */
    static final int CAPACITY = 10_000;

    /** A request for {@code path}, conditional on {@code etag} when it is not null. */
    @FunctionalInterface
    interface Fetch {
        FeedPage send(String etag) throws IOException, InterruptedException;
    }

    /**
     * What a read brought.
     *
     * @param status GitHub's status (a 304 is answered with the kept body)
     * @param body the resource (200 and 304 only), else null
     * @param notModified whether GitHub answered 304
     * @param rateLimited whether GitHub refused it for a limit
     */
    record Answer(int status, JsonNode body, boolean notModified, boolean rateLimited) {
        boolean ok() {
            return body != null;
        }
    }

    private record Kept(String etag, JsonNode body) {}

    private final Map<String, Kept> kept =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
                    return size() > CAPACITY;
                }
            };

    /**
     * Reads {@code path} through {@code round} (so within GitHub's limits and counted); null when
     * it was not asked (limited) or GitHub could not be reached.
     */
    synchronized Answer read(String what, String path, PollRound round, Fetch fetch) {
        Kept before = kept.get(path);
        FeedPage page = round.ask(what, () -> fetch.send(before == null ? null : before.etag()));
        if (page == null) {
            return null;
        }
        if (page.status() == 304 && before != null) {
            return new Answer(304, before.body(), true, false);
        }
        if (page.status() == 200 && page.events() != null) {
            if (page.etag() != null) {
                kept.put(path, new Kept(page.etag(), page.events()));
            }
            return new Answer(200, page.events(), false, false);
        }
        if (page.status() == 404 || page.status() == 410) {
            kept.remove(path);
        }
        return new Answer(page.status(), null, false, page.rateLimited());
    }
}

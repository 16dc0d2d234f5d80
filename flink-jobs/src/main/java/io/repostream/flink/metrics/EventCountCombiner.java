package io.repostream.flink.metrics;

import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Counts events per repository, event type and analytics window within one subtask, so that the
 * windows receive one {@code events} sample per series and window instead of one per event (which
 * crossed the network to the window's key for a count).
 *
 * <p>The windows' results stay what they were: a count leaves before the watermark that closes its
 * window (so it is never late where its events would not have been), before every checkpoint
 * barrier (so the count belongs to the checkpoint of its events, and the operator needs no state),
 * and when more than {@code maxBuckets} counts are open (windows add partial counts up). An event
 * whose window this subtask's watermark has already passed goes on alone, as before, and the window
 * decides whether it is late. Only for {@code events}: a sum; means and gauges cannot be combined
 * this way.
 */
public final class EventCountCombiner extends AbstractStreamOperator<RepoMetrics>
        implements OneInputStreamOperator<GitHubEvent, RepoMetrics> {
    private static final long serialVersionUID = 1L;

    /** Open counts per subtask before all of them are sent early. */
    public static final int DEFAULT_MAX_BUCKETS = 10_000;

    private final long windowMs;
    private final int maxBuckets;

    private transient Map<Bucket, long[]> counts;
    private transient long watermark;

    private record Bucket(String repo, String type, long windowStart) {}

    /**
     * @param window the width of the tumbling event-time windows the counts go to
     * @param maxBuckets how many counts may be open; 0 sends every event's sample on its own
     */
    public EventCountCombiner(Duration window, int maxBuckets) {
        if (maxBuckets < 0) {
            throw new IllegalArgumentException("maxBuckets must be >= 0, got " + maxBuckets);
        }
        this.windowMs = window.toMillis();
        this.maxBuckets = maxBuckets;
    }

    @Override
    public void open() throws Exception {
        super.open();
        counts = new LinkedHashMap<>();
        watermark = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<GitHubEvent> element) {
        GitHubEvent event = element.getValue();
        if (maxBuckets == 0 || !element.hasTimestamp()) {
            output.collect(element.replace(MetricSignals.EventCount.sample(event)));
            return;
        }
        long start = TimeWindow.getWindowStartWithOffset(element.getTimestamp(), 0, windowMs);
        if (start + windowMs - 1 <= watermark) {
            output.collect(element.replace(MetricSignals.EventCount.sample(event)));
            return;
        }
        Bucket bucket = new Bucket(event.key(), event.qualifiedType(), start);
        counts.computeIfAbsent(bucket, b -> new long[1])[0]++;
        if (counts.size() > maxBuckets) {
            flush(Long.MAX_VALUE);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush(mark.getTimestamp());
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush(Long.MAX_VALUE);
    }

    @Override
    public void finish() throws Exception {
        flush(Long.MAX_VALUE);
        super.finish();
    }

    /** Sends the counts of windows that end at or before {@code upTo} (their last instant). */
    private void flush(long upTo) {
        Iterator<Map.Entry<Bucket, long[]>> it = counts.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Bucket, long[]> e = it.next();
            Bucket b = e.getKey();
            long maxTimestamp = b.windowStart() + windowMs - 1;
            if (maxTimestamp > upTo) {
                continue;
            }
            RepoMetrics count =
                    new RepoMetrics(
                            b.repo(),
                            MetricSignals.EVENTS,
                            Map.of("type", b.type()),
                            e.getValue()[0],
                            Instant.ofEpochMilli(b.windowStart()),
                            Instant.ofEpochMilli(b.windowStart() + windowMs));
            output.collect(new StreamRecord<>(count, maxTimestamp));
            it.remove();
        }
    }
}

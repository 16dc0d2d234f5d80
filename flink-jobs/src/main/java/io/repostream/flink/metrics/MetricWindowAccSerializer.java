package io.repostream.flink.metrics;

import io.repostream.flink.serialization.ImmutableRecordSerializer;
import io.repostream.flink.serialization.JsonMigratingSnapshot;
import io.repostream.flink.serialization.RepoMetricsSerializer;
import io.repostream.flink.serialization.WireTypeInfo;
import io.repostream.schemas.RepoMetrics;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The analytics windows' accumulator ({@link MetricWindowAggregate.Acc}) in binary: it is read and
 * written for every sample a window adds. Window state written as JSON by earlier versions is
 * migrated on restore ({@link Snapshot}).
 */
public final class MetricWindowAccSerializer
        extends ImmutableRecordSerializer<MetricWindowAggregate.Acc> {
    private static final long serialVersionUID = 1L;

    public static final MetricWindowAccSerializer INSTANCE = new MetricWindowAccSerializer();

    /** Type information of the accumulator, for the window's aggregate. */
    public static final WireTypeInfo<MetricWindowAggregate.Acc> TYPE =
            new WireTypeInfo<>(MetricWindowAggregate.Acc.class, INSTANCE);

    private MetricWindowAccSerializer() {}

    @Override
    public void serialize(MetricWindowAggregate.Acc acc, DataOutputView out) throws IOException {
        writeSample(acc.sample(), out);
        out.writeDouble(acc.sum());
        out.writeDouble(acc.max());
        out.writeLong(acc.count());
        writeSample(acc.last(), out);
    }

    @Override
    public MetricWindowAggregate.Acc deserialize(DataInputView in) throws IOException {
        RepoMetrics sample = readSample(in);
        double sum = in.readDouble();
        double max = in.readDouble();
        long count = in.readLong();
        return new MetricWindowAggregate.Acc(sample, sum, max, count, readSample(in));
    }

    private static void writeSample(RepoMetrics m, DataOutputView out) throws IOException {
        out.writeBoolean(m != null);
        if (m != null) {
            RepoMetricsSerializer.INSTANCE.serialize(m, out);
        }
    }

    private static RepoMetrics readSample(DataInputView in) throws IOException {
        return in.readBoolean() ? RepoMetricsSerializer.INSTANCE.deserialize(in) : null;
    }

    @Override
    public TypeSerializerSnapshot<MetricWindowAggregate.Acc> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer; migrates the accumulators earlier versions wrote as JSON. */
    public static final class Snapshot extends JsonMigratingSnapshot<MetricWindowAggregate.Acc> {
        public Snapshot() {
            super(MetricWindowAggregate.Acc.class, () -> INSTANCE);
        }
    }
}

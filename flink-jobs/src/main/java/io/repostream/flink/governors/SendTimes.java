package io.repostream.flink.governors;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** The governors' lists of send times (epoch ms) in binary: a count, then fixed-width longs. */
final class SendTimes {
    private SendTimes() {}

    static void write(List<Long> times, DataOutputView out) throws IOException {
        out.writeInt(times.size());
        for (long t : times) {
            out.writeLong(t);
        }
    }

    static List<Long> read(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt governor state: " + n + " send times");
        }
        Long[] times = new Long[n];
        for (int i = 0; i < n; i++) {
            times[i] = in.readLong();
        }
        return Arrays.asList(times); // the state records copy it into an immutable list
    }
}

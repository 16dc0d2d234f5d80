package io.repostream.flink;

import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.shaded.guava33.com.google.common.hash.Hashing;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/**
 * One operator's state in a savepoint of the whole job, merged over its subtasks so that an
 * operator test harness at parallelism 1 restores all of it ({@code
 * harness.initializeState(state())}, harness max parallelism {@link #maxParallelism()}).
 */
record SavepointOperatorState(OperatorSubtaskState state, int maxParallelism) {

    /** The state of the operator with {@code uid} in the savepoint in {@code savepointDir}. */
    static SavepointOperatorState of(Path savepointDir, String uid) throws Exception {
        CheckpointMetadata metadata;
        try (DataInputStream in =
                new DataInputStream(Files.newInputStream(savepointDir.resolve("_metadata")))) {
            metadata =
                    Checkpoints.loadCheckpointMetadata(
                            in,
                            SavepointOperatorState.class.getClassLoader(),
                            savepointDir.toAbsolutePath().toString());
        }
        // how the job graph names an operator with a uid (StreamGraphHasherV2)
        OperatorID id =
                new OperatorID(
                        Hashing.murmur3_128(0)
                                .newHasher()
                                .putString(uid, StandardCharsets.UTF_8)
                                .hash()
                                .asBytes());
        OperatorState operator =
                metadata.getOperatorStates().stream()
                        .filter(o -> o.getOperatorID().equals(id))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "no operator " + uid + " in " + savepointDir));
        List<OperatorSubtaskState> subtasks = new ArrayList<>();
        for (int i = 0; i < operator.getParallelism(); i++) {
            OperatorSubtaskState s = operator.getState(i);
            if (s != null) {
                subtasks.add(s);
            }
        }
        return new SavepointOperatorState(
                AbstractStreamOperatorTestHarness.repackageState(
                        subtasks.toArray(OperatorSubtaskState[]::new)),
                operator.getMaxParallelism());
    }
}

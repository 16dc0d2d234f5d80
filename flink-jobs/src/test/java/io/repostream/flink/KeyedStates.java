package io.repostream.flink;

import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/**
 * Counts keyed state entries of an operator under test. The keyed broadcast harness lacks the
 * {@code numKeyedStateEntries()} of the one-input harness, so this asks the state backend.
 */
public final class KeyedStates {
    private KeyedStates() {}

    public static long entries(AbstractStreamOperatorTestHarness<?> harness, String... stateNames) {
        KeyedStateBackend<Object> backend =
                ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend();
        long total = 0;
        for (String name : stateNames) {
            try (var keys = backend.getKeys(name, VoidNamespace.INSTANCE)) {
                total += keys.count();
            }
        }
        return total;
    }
}

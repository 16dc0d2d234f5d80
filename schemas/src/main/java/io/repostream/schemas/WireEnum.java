package io.repostream.schemas;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An enum whose JSON form is a lowercase wire name (e.g. {@code add_labels}). */
public interface WireEnum {

    /** The name used on the wire, in JSON Schemas and in metrics labels. */
    String wireName();

    /**
     * Looks up a constant by wire name, failing with a message that lists what is accepted.
     *
     * @throws IllegalArgumentException when {@code wire} names no constant
     */
    static <E extends Enum<E> & WireEnum> E parse(Class<E> type, String wire) {
        for (E e : type.getEnumConstants()) {
            if (e.wireName().equals(wire)) {
                return e;
            }
        }
        String accepted =
                Arrays.stream(type.getEnumConstants())
                        .map(WireEnum::wireName)
                        .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "unknown "
                        + type.getSimpleName()
                        + " '"
                        + wire
                        + "'; expected one of: "
                        + accepted);
    }
}

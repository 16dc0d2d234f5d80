package io.repostream.flink.rules;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Payload fields named as JSON pointers ({@code /issue/user/login}) turned into a {@link
 * PayloadProjection} spec. An array's elements are addressed through the array: {@code
 * /issue/labels/name} keeps the name of every label. A pointer to an object keeps it whole.
 */
public final class PayloadFields {
    private PayloadFields() {}

    /** The spec that keeps every field {@code pointers} name (the union of them). */
    public static Map<String, Object> spec(Collection<String> pointers) {
        Map<String, Object> spec = new LinkedHashMap<>();
        for (String pointer : pointers) {
            spec = PayloadProjection.union(spec, path(pointer));
        }
        return spec;
    }

    private static Map<String, Object> path(String pointer) {
        if (!pointer.startsWith("/") || pointer.length() < 2) {
            throw new IllegalArgumentException(
                    "not a JSON pointer to a payload field: '" + pointer + "'");
        }
        String[] segments = pointer.substring(1).split("/", -1);
        Map<String, Object> spec = PayloadProjection.WHOLE;
        for (int i = segments.length - 1; i >= 0; i--) {
            String name = segments[i].replace("~1", "/").replace("~0", "~");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty field name in '" + pointer + "'");
            }
            spec = PayloadProjection.fields(name, spec);
        }
        return spec;
    }
}

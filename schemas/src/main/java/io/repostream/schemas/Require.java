package io.repostream.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks shared by the records' compact constructors; messages name the field. */
public final class Require {
    private static final Pattern REPO = Pattern.compile("[a-z0-9][a-z0-9._-]*/[a-z0-9._-]+");

    private Require() {}

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    /** A duration longer than zero. */
    public static Duration positive(Duration value, String field) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException(field + " must be longer than zero, got " + value);
        }
        return value;
    }

    public static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required and must not be blank");
        }
        return value;
    }

    /** A repository full name, normalised to lowercase {@code owner/repo}. */
    public static String repo(String value, String field) {
        text(value, field);
        String lower = value.toLowerCase(Locale.ROOT);
        if (!REPO.matcher(lower).matches()) {
            throw new IllegalArgumentException(
                    field + " must look like owner/repo, got '" + value + "'");
        }
        return lower;
    }

    public static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : List.copyOf(value);
    }

    /** An unmodifiable copy that keeps the caller's iteration order (feature vectors need it). */
    public static <K, V> Map<K, V> map(Map<K, V> value) {
        return value == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(value));
    }
}

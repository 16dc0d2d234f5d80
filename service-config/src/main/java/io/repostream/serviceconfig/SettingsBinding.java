package io.repostream.serviceconfig;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Binds a service's YAML settings file onto records with Jackson: snake_case keys, a key that no
 * record component has is refused ({@code FAIL_ON_UNKNOWN_PROPERTIES}) with an error naming it, the
 * section it is in and the file (a typo must not silently fall back to a default); a duplicate key
 * too; durations as {@code 500ms}, {@code 5s}, {@code 10m}, {@code 24h}, {@code 3d} or ISO-8601; a
 * single string where a list goes is a list of one. A key left out binds as null, so the service
 * keeps its default. Errors name the setting, never its value when that could be a secret (only a
 * plain word or number is shown: {@link #got}).
 */
public final class SettingsBinding {
    private static final ObjectMapper MAPPER =
            YAMLMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .addModule(new SimpleModule().addDeserializer(Duration.class, new Durations()))
                    .build();

    private SettingsBinding() {}

    /** The file's settings; an empty file is no settings. */
    public static <T> T read(Path file, Class<T> type) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    file + ": not valid YAML: " + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read config file " + file + ": " + firstLine(e.getMessage()), e);
        }
        return bind(tree, type, file.toString());
    }

    /**
     * Binds an already parsed tree (e.g. a section of a larger file).
     *
     * @param where the file's name, for errors
     */
    public static <T> T bind(JsonNode tree, Class<T> type, String where) {
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            tree = MAPPER.createObjectNode();
        }
        if (!tree.isObject()) {
            throw new IllegalArgumentException(where + ": expected a mapping of settings");
        }
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            String section = path(e.getPath().subList(0, e.getPath().size() - 1));
            throw new IllegalArgumentException(
                    where
                            + ": unknown setting '"
                            + e.getPropertyName()
                            + "'"
                            + (section.isEmpty() ? "" : " in " + section)
                            + " (known: "
                            + known(e.getKnownPropertyIds())
                            + ")",
                    e);
        } catch (MismatchedInputException e) {
            String got =
                    e instanceof InvalidFormatException invalid
                            ? ", " + got(String.valueOf(invalid.getValue()))
                            : "";
            throw new IllegalArgumentException(
                    where + ": '" + path(e.getPath()) + "' " + expected(e.getTargetType()) + got,
                    e);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(
                    where + ": '" + path(e.getPath()) + "': " + firstLine(e.getOriginalMessage()),
                    e);
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * A duration given anywhere else (an option, an environment variable): {@code 500ms}, {@code
     * 5s}, {@code 10m}, {@code 24h}, {@code 3d}, or ISO-8601 ({@code PT5S}).
     *
     * @param key the option or variable, for the error
     * @param where where it was given ({@code command line}, {@code environment}), for the error
     */
    public static Duration duration(String text, String key, String where) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException
                | DateTimeParseException
                | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(
                    where
                            + ": '"
                            + key
                            + "' must be a duration like 500ms, 5s, 10m, 24h or PT5S, "
                            + got(text));
        }
    }

    /**
     * What was given instead, for an error: a plain word or number as it is ({@code got 'soon'});
     * anything else could be a secret put under the wrong key, and only its length is told.
     */
    static String got(String value) {
        if (value.length() <= 12 && SHOWABLE.matcher(value).matches()) {
            return "got '" + value + "'";
        }
        return "got a value of " + value.length() + " characters (not shown: it could be a secret)";
    }

    private static final Pattern SHOWABLE = Pattern.compile("[A-Za-z]+|[0-9.]+[A-Za-z]{0,2}");

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == Duration.class) {
            return "must be a duration like 500ms, 5s, 10m, 24h or PT5S";
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class) {
            return "must be a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "must be a list of strings";
        }
        return "must be a mapping";
    }

    private static String path(List<JsonMappingException.Reference> path) {
        return path.stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String known(Collection<Object> ids) {
        return ids == null
                ? "[]"
                : new TreeSet<>(ids.stream().map(String::valueOf).toList()).toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** {@code 500ms}, {@code 5s}, {@code 10m}, {@code 24h}, {@code 3d} or ISO-8601. */
    private static final class Durations extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            try {
                return duration(text == null ? "" : text, "", "");
            } catch (IllegalArgumentException e) {
                throw ctxt.weirdStringException(text, Duration.class, "not a duration");
            }
        }
    }
}

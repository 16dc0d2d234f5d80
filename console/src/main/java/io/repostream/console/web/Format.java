package io.repostream.console.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Small helpers the templates call. */
public final class Format {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Format() {}

    public static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    /** The One action page of {@code actionId} (ids hold slashes and colons). */
    public static String actionLink(String actionId) {
        return "/action?id=" + URLEncoder.encode(actionId, StandardCharsets.UTF_8);
    }

    public static String percent(double confidence) {
        return Math.round(confidence * 100) + " %";
    }
}

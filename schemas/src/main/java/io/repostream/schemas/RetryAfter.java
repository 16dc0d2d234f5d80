package io.repostream.schemas;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.SignStyle;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Retry-After} header (RFC 9110, section 10.2.3): either delay-seconds or an HTTP-date.
 * GitHub sends seconds; a proxy or a load balancer in front of it may send a date, which is counted
 * from the answer's {@code Date} header (so that a clock difference between the server and us does
 * not shorten or lengthen the wait), else from now. The one parser the bridge and the executor use.
 */
public final class RetryAfter {

    /** IMF-fixdate, the preferred form: {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    /**
     * Obsolete RFC 850 form after its weekday: {@code 06-Nov-94 08:49:37 GMT} (of {@code Sunday,
     * 06-Nov-94 08:49:37 GMT}); the weekday is checked once the century is known.
     */
    private static final DateTimeFormatter RFC_850 =
            DateTimeFormatter.ofPattern("dd-MMM-yy HH:mm:ss 'GMT'", Locale.ENGLISH);

    /** Obsolete asctime form: {@code Sun Nov 6 08:49:37 1994} (day padded with a space). */
    private static final DateTimeFormatter ASCTIME =
            new java.time.format.DateTimeFormatterBuilder()
                    .appendPattern("EEE MMM ")
                    .padNext(2)
                    .appendValue(ChronoField.DAY_OF_MONTH, 1, 2, SignStyle.NOT_NEGATIVE)
                    .appendPattern(" HH:mm:ss yyyy")
                    .toFormatter(Locale.ENGLISH);

    private RetryAfter() {}

    /**
     * How long to wait, from a {@code Retry-After} value.
     *
     * @param value the header's value (delay-seconds or an HTTP-date), or null
     * @param date the answer's {@code Date} header, or null; a date value is counted from it
     * @param now the time the answer arrived, used when there is no valid {@code Date}
     * @return the wait, zero for a date already past, whole seconds rounded up; empty when the
     *     header is absent or is neither form
     */
    public static Optional<Duration> parse(String value, String date, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        if (trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(trimmed)));
            } catch (NumberFormatException e) {
                return Optional.empty(); // more digits than a long holds
            }
        }
        Optional<Instant> at = httpDate(trimmed);
        if (at.isEmpty()) {
            return Optional.empty();
        }
        Instant from = httpDate(date).orElse(now);
        Duration wait = Duration.between(from, at.get());
        if (wait.isNegative()) {
            return Optional.of(Duration.ZERO);
        }
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Optional.of(Duration.ofSeconds(seconds));
    }

    /**
     * {@link #parse} in whole seconds, as {@link RateLimit#retryAfterSeconds()} holds it (capped at
     * {@link Integer#MAX_VALUE}).
     */
    public static Optional<Integer> seconds(String value, String date, Instant now) {
        return parse(value, date, now).map(d -> (int) Math.min(Integer.MAX_VALUE, d.getSeconds()));
    }

    /** An HTTP-date in any of RFC 9110's three forms, or empty. */
    public static Optional<Instant> httpDate(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String text = value.trim();
        try {
            return Optional.of(LocalDateTime.parse(text, IMF_FIXDATE).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            // not the preferred form: try the obsolete ones
        }
        Optional<Instant> rfc850 = rfc850(text);
        if (rfc850.isPresent()) {
            return rfc850;
        }
        try {
            return Optional.of(LocalDateTime.parse(text, ASCTIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The RFC 850 form. RFC 9110: a two-digit year that appears more than 50 years in the future is
     * the most recent past year with the same last two digits ({@code yy} reads as 2000-2099).
     */
    private static Optional<Instant> rfc850(String text) {
        int comma = text.indexOf(", ");
        if (comma < 0) {
            return Optional.empty();
        }
        LocalDateTime at;
        try {
            at = LocalDateTime.parse(text.substring(comma + 2), RFC_850);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        LocalDateTime limit = LocalDateTime.now(ZoneOffset.UTC).plusYears(50);
        while (at.isAfter(limit)) {
            at = at.minusYears(100);
        }
        String weekday = at.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        if (!weekday.equals(text.substring(0, comma))) {
            return Optional.empty();
        }
        return Optional.of(at.toInstant(ZoneOffset.UTC));
    }
}

package io.repostream.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The durations a policy is written with: a whole number and a unit, units combined largest first
 * ({@code 5m}, {@code 2h}, {@code 3d}, {@code 1h30m}, {@code 45s}), or ISO-8601 ({@code PT5M},
 * {@code P3D}). The grammar is the {@code repo-policy.v1} schema's {@code $defs/duration} pattern,
 * and a test checks both on one table. Policies are written back as ISO-8601.
 */
public final class PolicyDuration {
    /** What a valid duration looks like, for error messages. */
    public static final String FORMS =
            "a duration such as 5m, 2h, 3d, 1h30m or ISO-8601 PT5M (a whole number and a unit:"
                    + " d, h, m or s, largest first)";

    private static final String NUMBER = "(\\d+(?:\\.\\d+)?)";
    private static final Pattern ISO =
            Pattern.compile(
                    "P(?!$)(?:"
                            + NUMBER
                            + "D)?(?:T(?=\\d)(?:"
                            + NUMBER
                            + "H)?(?:"
                            + NUMBER
                            + "M)?(?:"
                            + NUMBER
                            + "S)?)?");
    private static final Pattern SHORT =
            Pattern.compile("(?=\\d)(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    private static final long[] UNIT_SECONDS = {86_400, 3_600, 60, 1};

    private PolicyDuration() {}

    /**
     * @throws IllegalArgumentException saying what a valid duration looks like
     */
    public static Duration parse(String text) {
        if (text != null) {
            Matcher m = ISO.matcher(text);
            if (!m.matches()) {
                m = SHORT.matcher(text);
            }
            if (m.matches()) {
                return sum(m, text);
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not " + FORMS);
    }

    private static Duration sum(Matcher m, String text) {
        BigDecimal seconds = BigDecimal.ZERO;
        for (int unit = 0; unit < UNIT_SECONDS.length; unit++) {
            String amount = m.group(unit + 1);
            if (amount != null) {
                seconds =
                        seconds.add(
                                new BigDecimal(amount)
                                        .multiply(BigDecimal.valueOf(UNIT_SECONDS[unit])));
            }
        }
        BigDecimal whole = seconds.setScale(0, RoundingMode.DOWN);
        long nanos =
                seconds.subtract(whole)
                        .movePointRight(9)
                        .setScale(0, RoundingMode.DOWN)
                        .longValue();
        try {
            return Duration.ofSeconds(whole.longValueExact(), nanos);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
    }

    /** Reads a duration field of a policy in any of the forms above. */
    public static final class Deserializer extends StdScalarDeserializer<Duration> {
        private static final long serialVersionUID = 1L;

        public Deserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
            }
            String text = p.getText();
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                return (Duration) ctxt.handleWeirdStringValue(Duration.class, text, FORMS);
            }
        }
    }
}

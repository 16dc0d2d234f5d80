package io.repostream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetryAfterTest {
    /** The answer's arrival on our clock. */
    private static final Instant NOW = Instant.parse("1994-11-06T08:49:30Z");

    /** GitHub's clock, an hour behind ours, in the answer's {@code Date} header. */
    private static final String SERVER_DATE = "Sun, 06 Nov 1994 07:49:30 GMT";

    static Stream<Arguments> headers() {
        return Stream.of(
                Arguments.of("delay-seconds", "120", null, Duration.ofSeconds(120)),
                Arguments.of("delay-seconds with spaces", " 7 ", null, Duration.ofSeconds(7)),
                Arguments.of("zero seconds", "0", null, Duration.ZERO),
                Arguments.of(
                        "IMF-fixdate, counted from now without a Date header",
                        "Sun, 06 Nov 1994 08:49:37 GMT",
                        null,
                        Duration.ofSeconds(7)),
                Arguments.of(
                        "IMF-fixdate, counted from the Date header",
                        "Sun, 06 Nov 1994 07:50:00 GMT",
                        SERVER_DATE,
                        Duration.ofSeconds(30)),
                Arguments.of(
                        "RFC 850 date (two-digit year)",
                        "Sunday, 06-Nov-94 07:50:00 GMT",
                        SERVER_DATE,
                        Duration.ofSeconds(30)),
                Arguments.of(
                        "asctime date (space-padded day)",
                        "Sun Nov  6 07:50:00 1994",
                        SERVER_DATE,
                        Duration.ofSeconds(30)),
                Arguments.of(
                        "a Date header in an obsolete form",
                        "Sun, 06 Nov 1994 07:50:00 GMT",
                        "Sun Nov  6 07:49:30 1994",
                        Duration.ofSeconds(30)),
                Arguments.of(
                        "a date already past waits nothing",
                        "Sun, 06 Nov 1994 07:00:00 GMT",
                        SERVER_DATE,
                        Duration.ZERO),
                Arguments.of(
                        "an unreadable Date header: counted from now",
                        "Sun, 06 Nov 1994 08:50:00 GMT",
                        "yesterday",
                        Duration.ofSeconds(30)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void readsBothFormsOfRetryAfter(String form, String value, String date, Duration wait) {
        assertThat(RetryAfter.parse(value, date, NOW)).contains(wait);
        assertThat(RetryAfter.seconds(value, date, NOW)).contains((int) wait.getSeconds());
    }

    static Stream<Arguments> unreadable() {
        return Stream.of(
                Arguments.of((String) null),
                Arguments.of(""),
                Arguments.of("-5"),
                Arguments.of("1.5"),
                Arguments.of("soon"),
                Arguments.of("99999999999999999999999"),
                Arguments.of("Mon, 06 Nov 1994 08:49:37 GMT"), // wrong weekday
                Arguments.of("Monday, 06-Nov-94 08:49:37 GMT"),
                Arguments.of("Sun, 06 Nov 1994 08:49:37 +0000"),
                Arguments.of("2030-01-01T00:00:00Z"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("unreadable")
    void ignoresWhatIsNeitherForm(String value) {
        assertThat(RetryAfter.parse(value, SERVER_DATE, NOW)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aWaitOfAFractionOfASecondIsRoundedUp() {
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:31 GMT", null, NOW.plusMillis(200)))
                .contains(Duration.ofSeconds(1));
    }
}

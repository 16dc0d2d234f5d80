package io.repostream.bridge.webhook;

/**
 * An authenticated delivery that cannot become a {@code GitHubEvent}. It goes to the dead-letter
 * topic with {@link #getMessage()} as the reason and is answered 400 with the same words; {@link
 * #label()} counts it (a bounded set of values, for a metric label).
 */
public final class MalformedDeliveryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Not UTF-8 as a strict decoder judges it. */
    public static final String INVALID_UTF8 = "invalid_utf8";

    /** A {@code \\u} escape of half a surrogate pair. */
    public static final String LONE_SURROGATE = "lone_surrogate";

    /** Anything else: not JSON, not an object, bad headers, bad repository name. */
    public static final String MALFORMED = "malformed";

    private final String label;

    public MalformedDeliveryException(String reason) {
        this(MALFORMED, reason);
    }

    public MalformedDeliveryException(String label, String reason) {
        super(reason, null, false, false);
        this.label = label;
    }

    public String label() {
        return label;
    }
}

package io.repostream.bridge.webhook;

/**
 * An authenticated delivery that cannot become a {@code GitHubEvent}. It goes to the dead-letter
 * topic with {@link #getMessage()} as the reason and is answered 400 with the same words.
 */
public final class MalformedDeliveryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedDeliveryException(String reason) {
        super(reason, null, false, false);
    }
}

package io.repostream.flink.kafka;

import java.io.IOException;
import java.util.Locale;

/** A record the job cannot read, with the reason it goes to the dead-letter topic under. */
public final class UndecodableRecordException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why a record went to the dead-letter topic: the {@code reason} label of the metric. */
    public enum Reason {
        /**
         * Bytes that are not well-formed UTF-8 (overlong forms and encoded surrogates included).
         */
        INVALID_UTF8,
        /** A surrogate escape ({@code \}{@code uD800}) without its other half. */
        LONE_SURROGATE,
        /** Not JSON (truncated, unbalanced, a bad token). */
        MALFORMED_JSON,
        /** JSON, but not a {@code GitHubEvent}: a required field missing, a bad value. */
        INVALID_EVENT;

        /** The label value and the dead letter's reason prefix, e.g. {@code invalid_utf8}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public UndecodableRecordException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public UndecodableRecordException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

package io.repostream.executor.ledger;

/** Kafka did not acknowledge a snapshot or audit write; the action must be tried again. */
public final class RecordWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecordWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}

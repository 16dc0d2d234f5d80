package io.repostream.bridge;

/**
 * Header values as they may appear in a log line: the sender controls them (an unauthenticated one
 * too), so they are cut to {@link #MAX_LENGTH} characters and anything but printable ASCII (line
 * breaks, terminal escapes, other control characters) is replaced, so that a value can neither
 * forge log lines nor flood the log.
 */
final class LogSafe {
    /** A GitHub delivery id is a 36-character UUID. */
    static final int MAX_LENGTH = 64;

    private LogSafe() {}

    static String header(String value) {
        if (value == null) {
            return "-";
        }
        int length = Math.min(value.length(), MAX_LENGTH);
        StringBuilder safe = new StringBuilder(length + 16);
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            safe.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (value.length() > MAX_LENGTH) {
            safe.append("...(").append(value.length()).append(" chars)");
        }
        return safe.toString();
    }
}

package io.repostream.serviceconfig;

/** What every repostream command exits with. */
public final class ExitCodes {
    /** Done, or stopped on request (SIGTERM). */
    public static final int OK = 0;

    /**
     * It ran, and some of the work failed: a rollback that failed, a hook whose deliveries could
     * not be read (the output says which); or it crashed (a stack trace, picocli's code for it).
     */
    public static final int FAILED = 1;

    /**
     * It could not start: a bad option or setting, a secret file that cannot be read, Kafka or the
     * database unreachable. One line on stderr says why ({@code <service>: <reason>}); picocli's
     * usage errors use the same code.
     */
    public static final int CANNOT_START = 2;

    private ExitCodes() {}
}

package io.repostream.bridge;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures every log line of the JVM (the bridge at TRACE, everything else at INFO) with its stack
 * traces, so a test can prove what never appears in the logs.
 */
final class CapturedLogs extends AbstractAppender implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Level rootLevel;
    private final Level bridgeLevel;

    private CapturedLogs() {
        super("captured", null, null, true, Property.EMPTY_ARRAY);
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        rootLevel = config.getRootLogger().getLevel();
        bridgeLevel = config.getLoggerConfig("io.repostream").getLevel();
    }

    static CapturedLogs capture() {
        CapturedLogs logs = new CapturedLogs();
        logs.start0();
        return logs;
    }

    private void start0() {
        start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        config.getRootLogger().addAppender(this, Level.ALL, null);
        config.getRootLogger().setLevel(Level.INFO);
        LoggerConfig bridge = config.getLoggerConfig("io.repostream");
        bridge.setLevel(Level.TRACE);
        context.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        StringWriter text = new StringWriter();
        text.append(event.getLoggerName())
                .append(' ')
                .append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            event.getThrown().printStackTrace(new PrintWriter(text));
        }
        lines.add(text.toString());
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(getName());
        config.getRootLogger().setLevel(rootLevel);
        config.getLoggerConfig("io.repostream").setLevel(bridgeLevel);
        context.updateLoggers();
        stop();
    }
}

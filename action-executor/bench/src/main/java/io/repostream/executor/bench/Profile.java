package io.repostream.executor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A Flight Recorder profile of the measured phase only (after the warm-up), when the system
 * property {@code bench.jfr} names the file to write: {@code -Dbench.jfr=/tmp/executor.jfr}.
 */
final class Profile {
    private final Recording recording;
    private final Path file;

    private Profile(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    static Profile startIfAsked() {
        String file = System.getProperty("bench.jfr");
        if (file == null || file.isBlank()) {
            return null;
        }
        try {
            Recording recording = new Recording(Configuration.getConfiguration("profile"));
            recording.start();
            return new Profile(recording, Path.of(file));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot start the profile for " + file, e);
        }
    }

    void stop() {
        recording.stop();
        try {
            recording.dump(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the profile to " + file, e);
        } finally {
            recording.close();
        }
        System.out.printf("profile of the measured phase: %s%n", file);
    }
}

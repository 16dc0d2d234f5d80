package io.repostream.executor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads by what they belong to, read from {@code /proc/self/task} (Linux
 * only), so that the JIT compiler and GC threads count as well as the Java threads. A thread that
 * ends during the run is missed; the total printed by the bench is the process's own figure.
 */
final class ThreadCpu {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private ThreadCpu() {}

    /** CPU milliseconds (user + system) per group of threads; empty where /proc is not there. */
    static Map<String, Long> byGroup() {
        Map<String, Long> groups = new TreeMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return groups;
        }
        try (Stream<Path> list = Files.list(tasks)) {
            list.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close);
                    String[] fields = stat.substring(close + 2).split(" ");
                    // fields[11] and [12] are utime and stime (fields 14 and 15 of proc(5))
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    groups.merge(group(name), ticks * 1000 / TICKS_PER_SECOND, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            return groups;
        }
        return groups;
    }

    static void print(Map<String, Long> before, Map<String, Long> after, long actions) {
        if (after.isEmpty() || actions == 0) {
            return;
        }
        System.out.println("CPU per action by thread group (from /proc/self/task):");
        after.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue() - before.getOrDefault(b.getKey(), 0L),
                        a.getValue() - before.getOrDefault(a.getKey(), 0L)))
                .forEach(e -> {
                    long ms = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                    if (ms > 0) {
                        System.out.printf("  %-22s %8.3f ms%n", e.getKey(), (double) ms / actions);
                    }
                });
    }

    private static String group(String thread) {
        if (thread.startsWith("vert.x")) {
            return "simulator (vert.x)";
        }
        if (thread.startsWith("action-worker")) {
            return "executor workers";
        }
        if (thread.startsWith("HttpClient")) {
            return "executor http client";
        }
        if (thread.startsWith("action-executor") || thread.startsWith("executor-")) {
            return "executor poll/tail";
        }
        if (thread.startsWith("C1 ") || thread.startsWith("C2 ")) {
            return "JIT compiler";
        }
        if (thread.startsWith("GC ") || thread.startsWith("G1 ")) {
            return "GC";
        }
        if (thread.startsWith("data-plane") || thread.startsWith("kafka-") || thread.startsWith("quorum")
                || thread.startsWith("broker-") || thread.startsWith("group-") || thread.startsWith("raft")) {
            return thread.startsWith("kafka-produc") ? "kafka producers" : "kafka broker";
        }
        if (thread.startsWith("io.repostream")) {
            return "bench reader";
        }
        return "other: " + thread.replaceAll("[0-9]+", "N");
    }
}

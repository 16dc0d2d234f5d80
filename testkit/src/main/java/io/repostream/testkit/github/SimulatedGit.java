package io.repostream.testkit.github;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Just enough of git to be honest about merges: commits with parents and the paths they change (a
 * region per path, so that two changes of one file may or may not overlap), and refs. Two sides
 * conflict when, since their merge base, both changed the same region of the same path. A commit
 * may also write whole files (their text): a file at a commit is what the last commit among its
 * ancestors that wrote it wrote. Mutable; guarded by the simulator's lock.
 */
final class SimulatedGit {
    /** One changed region of a file; two changes conflict when path and region are equal. */
    record Change(String path, int region) {
        /** {@code src/a.java} (region 0) or {@code src/a.java@2}. */
        static Change parse(String spec) {
            int at = spec.lastIndexOf('@');
            if (at <= 0) {
                return new Change(spec, 0);
            }
            return new Change(spec.substring(0, at), Integer.parseInt(spec.substring(at + 1)));
        }
    }

    /**
     * @param files the files the commit writes, path to text
     * @param seq the order commits were made in, for replaying them in order
     */
    record Commit(
            String sha,
            List<String> parents,
            Set<Change> changes,
            Map<String, String> files,
            String message,
            String author,
            Instant date,
            long seq) {}

    private final Map<String, Commit> commits = new HashMap<>();

    /** Full names ({@code refs/heads/main}) to SHAs, sorted as GitHub lists them. */
    final TreeMap<String, String> refs = new TreeMap<>();

    private long seq;

    Commit commit(
            List<String> parents, Set<Change> changes, String message, String author, Instant at) {
        return commit(parents, changes, Map.of(), message, author, at);
    }

    /** A commit that also writes {@code files} (path to text), each a change of its path. */
    Commit commit(
            List<String> parents,
            Set<Change> changes,
            Map<String, String> files,
            String message,
            String author,
            Instant at) {
        for (String parent : parents) {
            if (!commits.containsKey(parent)) {
                throw new IllegalArgumentException("no commit " + parent);
            }
        }
        long n = ++seq;
        Set<Change> all = new LinkedHashSet<>(changes);
        files.keySet().forEach(path -> all.add(new Change(path, 0)));
        String written = files.isEmpty() ? "" : files + "|";
        String sha =
                sha1(String.join(",", parents) + "|" + all + "|" + written + message + "|" + n);
        Commit commit =
                new Commit(
                        sha,
                        List.copyOf(parents),
                        Set.copyOf(all),
                        Map.copyOf(files),
                        message,
                        author,
                        at,
                        n);
        commits.put(sha, commit);
        return commit;
    }

    Optional<Commit> get(String sha) {
        return Optional.ofNullable(commits.get(sha));
    }

    boolean has(String sha) {
        return commits.containsKey(sha);
    }

    /**
     * What {@code name} names: a full ref, a branch ({@code main}), {@code heads/main}, or a SHA.
     */
    Optional<String> resolve(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (String candidate :
                List.of(name, "refs/" + name, "refs/heads/" + name, "refs/tags/" + name)) {
            String sha = refs.get(candidate);
            if (sha != null) {
                return Optional.of(sha);
            }
        }
        return commits.containsKey(name) ? Optional.of(name) : Optional.empty();
    }

    /** Every commit reachable from {@code sha}, itself included. */
    Set<String> ancestry(String sha) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(sha));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(commits.get(next).parents());
            }
        }
        return seen;
    }

    /** Whether {@code ancestor} is {@code descendant} or reachable from it. */
    boolean isAncestor(String ancestor, String descendant) {
        return ancestry(descendant).contains(ancestor);
    }

    /** The commits reachable from {@code head} but not from {@code base}, oldest first. */
    List<Commit> only(String head, String base) {
        Set<String> excluded = ancestry(base);
        List<Commit> list = new ArrayList<>();
        for (String sha : ancestry(head)) {
            if (!excluded.contains(sha)) {
                list.add(commits.get(sha));
            }
        }
        list.sort(Comparator.comparingLong(Commit::seq));
        return list;
    }

    /** What {@code head} changed since its merge base with {@code base}. */
    Set<Change> changesSince(String head, String base) {
        Set<Change> changes = new LinkedHashSet<>();
        only(head, base).forEach(c -> changes.addAll(c.changes()));
        return changes;
    }

    /** The files {@code head} wrote since its merge base with {@code base}, the last write kept. */
    Map<String, String> filesSince(String head, String base) {
        Map<String, String> files = new TreeMap<>();
        only(head, base).forEach(c -> files.putAll(c.files()));
        return files;
    }

    /** The text of {@code path} at commit {@code sha}: the last write among its ancestors. */
    Optional<String> file(String sha, String path) {
        Commit last = null;
        for (String ancestor : ancestry(sha)) {
            Commit c = commits.get(ancestor);
            if (c.files().containsKey(path) && (last == null || c.seq() > last.seq())) {
                last = c;
            }
        }
        return last == null ? Optional.empty() : Optional.of(last.files().get(path));
    }

    /** The regions both sides changed since their merge base; empty when they merge cleanly. */
    Set<Change> conflicts(String base, String head) {
        Set<Change> both = new LinkedHashSet<>(changesSince(head, base));
        both.retainAll(changesSince(base, head));
        return both;
    }

    static String sha1(String text) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-1")
                            .digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is unavailable", e);
        }
    }
}

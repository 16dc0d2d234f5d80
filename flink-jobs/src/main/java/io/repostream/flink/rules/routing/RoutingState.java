package io.repostream.flink.rules.routing;

import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the routing rule keeps, per installation (its key), stored as JSON in one map state: a
 * {@link Person} per login, a {@link Repo} per repository and an {@link Item} per open issue or
 * pull request it has seen. Fields are only ever added, with a default when absent, so state
 * written by an earlier version reads.
 */
final class RoutingState {
    private RoutingState() {}

    /** Response times kept per person (the last ones: the median is theirs). */
    static final int RESPONSES_KEPT = 25;

    /** Titles of merged pull requests kept per repository, to recognise a revert of one. */
    static final int MERGED_KEPT = 200;

    static String person(String login) {
        return "person:" + login;
    }

    static String repo(String repo) {
        return "repo:" + repo;
    }

    static String item(String ref) {
        return "item:" + ref;
    }

    /** A login's work across the installation's repositories. */
    static final class Person {
        /** Open items ({@code owner/repo#12}) assigned to them or waiting for their review. */
        public List<String> open = new ArrayList<>();

        /** Since when (event time, ms) each item has waited for their first response. */
        public Map<String, Long> waiting = new LinkedHashMap<>();

        /** Their last times to first response, ms. */
        public List<Long> responses = new ArrayList<>();

        /** Their merged pull requests, and how many of them were reverted. */
        public int merged;

        public int reverted;

        /** Event time (ms) of their last activity seen, 0 when none. */
        public long lastActive;

        /**
         * Expertise by {@code owner/repo|label:bug}, {@code owner/repo|path:src/main} or {@code
         * owner/repo|*} (any work in the repository): a weight and when it was last updated.
         */
        public Map<String, Weight> expertise = new LinkedHashMap<>();
    }

    /** A decayed weight: {@code value} as of {@code at} (event time, ms). */
    static final class Weight {
        public double value;
        public long at;

        Weight() {}

        Weight(double value, long at) {
            this.value = value;
            this.at = at;
        }
    }

    /** What the rule knows of one repository. */
    static final class Repo {
        /** The text of the CODEOWNERS in force, null when there is none (or not read yet). */
        public String codeowners;

        /** Where it was found. */
        public String codeownersPath;

        /** The read waiting for its answer (its action id), null when none. */
        public String pendingRead;

        /** The location the pending read asks for. */
        public String pendingPath;

        /** What caused the pending read (the first event seen, or a push's head SHA). */
        public String pendingCause;

        /** Whether the file was asked for at least once. */
        public boolean asked;

        /** The default branch, as the last event said. */
        public String defaultBranch;

        /** Titles of recently merged pull requests, and their authors (lowercase). */
        public Map<String, String> mergedTitles = new LinkedHashMap<>();
    }

    /** An open issue or pull request the rule has seen. */
    static final class Item {
        public String author;

        /** Whether the rule has chosen someone for it (it chooses once). */
        public boolean routed;

        /** Who holds it: its assignees, or reviewers asked. */
        public List<String> holders = new ArrayList<>();

        /** The labels it was routed with (what a reassignment scores expertise by). */
        public List<String> labels = new ArrayList<>();

        /** Whether it was handed on at an SLA warning (that happens once). */
        public boolean reassigned;
    }

    static String write(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("routing state", e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable routing state: " + json, e);
        }
    }
}

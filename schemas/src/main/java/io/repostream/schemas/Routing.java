package io.repostream.schemas;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.repostream.schemas.RepoPolicy.Mode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Section {@code routing:} of a {@link RepoPolicy} (the routing rule's): who is asked to look at a
 * new issue (an assignee) or a new or ready pull request (a reviewer), chosen by a score per
 * candidate. Off unless the section is present, in every form of policy (it came after sections).
 *
 * @param mode on (default when the section is present), shadow or off
 * @param candidates the people who may be chosen, each with their working hours (besides the users
 *     {@code CODEOWNERS} names, when {@code codeowners} is set)
 * @param weights how much each part of the score counts (the design's defaults: expertise 35 %,
 *     workload 25 %, response time 20 %, availability 15 %, past performance 5 %)
 * @param maxOpenAssignments most open assignments and review requests a person has (across the
 *     repositories of the installation) before they are no longer chosen (default 5)
 * @param assignIssues assign new issues once triaged (default true)
 * @param requestReviewers request a reviewer on new and ready pull requests (default true)
 * @param codeowners the users of the default branch's {@code CODEOWNERS} are candidates too
 *     (default true)
 * @param expertiseHalfLife how fast past work stops counting as expertise (default 90 days)
 * @param reassignOnSlaWarning when the SLA rule warns that an item's deadline nears and the person
 *     the rule chose has not answered on it yet, hand the item once to the next best candidate,
 *     with a comment (default false)
 */
public record Routing(
        Mode mode,
        List<Candidate> candidates,
        Weights weights,
        Integer maxOpenAssignments,
        Boolean assignIssues,
        Boolean requestReviewers,
        Boolean codeowners,
        @JsonDeserialize(using = PolicyDuration.Deserializer.class) Duration expertiseHalfLife,
        Boolean reassignOnSlaWarning) {

    public static final int DEFAULT_MAX_OPEN_ASSIGNMENTS = 5;

    public Routing {
        mode = mode == null ? Mode.ON : mode;
        candidates = Require.list(candidates);
        Set<String> seen = new HashSet<>();
        for (Candidate c : candidates) {
            if (!seen.add(c.login().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(
                        "routing.candidates names " + c.login() + " twice");
            }
        }
        weights = weights == null ? Weights.defaults() : weights;
        maxOpenAssignments =
                maxOpenAssignments == null ? DEFAULT_MAX_OPEN_ASSIGNMENTS : maxOpenAssignments;
        if (maxOpenAssignments < 1) {
            throw new IllegalArgumentException(
                    "routing.max_open_assignments must be >= 1, got " + maxOpenAssignments);
        }
        assignIssues = assignIssues == null || assignIssues;
        requestReviewers = requestReviewers == null || requestReviewers;
        codeowners = codeowners == null || codeowners;
        expertiseHalfLife =
                expertiseHalfLife == null
                        ? Duration.ofDays(90)
                        : Require.positive(expertiseHalfLife, "routing.expertise_half_life");
        reassignOnSlaWarning = reassignOnSlaWarning != null && reassignOnSlaWarning;
    }

    /** On, with every default (and no candidate but those of CODEOWNERS). */
    public static Routing defaults() {
        return new Routing(null, null, null, null, null, null, null, null, null);
    }

    /** The section absent: the rule is off. */
    public static Routing off() {
        return new Routing(Mode.OFF, null, null, null, null, null, null, null, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .mode(mode)
                .candidates(candidates)
                .weights(weights)
                .maxOpenAssignments(maxOpenAssignments)
                .assignIssues(assignIssues)
                .requestReviewers(requestReviewers)
                .codeowners(codeowners)
                .expertiseHalfLife(expertiseHalfLife)
                .reassignOnSlaWarning(reassignOnSlaWarning);
    }

    /** The same section with {@code mode}. */
    public Routing withMode(Mode mode) {
        return toBuilder().mode(mode).build();
    }

    /** The candidate the policy names {@code login} (any case), or null. */
    public Candidate candidate(String login) {
        for (Candidate c : candidates) {
            if (c.login().equalsIgnoreCase(login)) {
                return c;
            }
        }
        return null;
    }

    /**
     * A person who may be chosen.
     *
     * @param login the GitHub login (a user; teams cannot be assigned, and review requests name
     *     users)
     * @param timeZone an IANA zone id (default UTC)
     * @param workingDays the days they work (default Monday to Friday)
     * @param start when their working day starts, local time (default 09:00)
     * @param end when it ends, local time (default 17:00; before {@code start} for a day that
     *     crosses midnight)
     */
    public record Candidate(
            String login,
            String timeZone,
            List<DayOfWeek> workingDays,
            LocalTime start,
            LocalTime end) {
        public Candidate {
            login = Require.text(login, "routing.candidates.login");
            if (login.startsWith("@") || login.contains("/")) {
                throw new IllegalArgumentException(
                        "routing.candidates.login is a user's login without @ (teams cannot be"
                                + " assigned), got "
                                + login);
            }
            timeZone = timeZone == null ? "UTC" : timeZone;
            try {
                ZoneId.of(timeZone);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "routing.candidates.time_zone '" + timeZone + "' is not a known time zone",
                        e);
            }
            workingDays =
                    workingDays == null
                            ? List.of(
                                    DayOfWeek.MONDAY,
                                    DayOfWeek.TUESDAY,
                                    DayOfWeek.WEDNESDAY,
                                    DayOfWeek.THURSDAY,
                                    DayOfWeek.FRIDAY)
                            : List.copyOf(workingDays);
            start = start == null ? LocalTime.of(9, 0) : start;
            end = end == null ? LocalTime.of(17, 0) : end;
        }

        /** A candidate with the default hours (09:00 to 17:00 UTC, Monday to Friday). */
        public static Candidate of(String login) {
            return new Candidate(login, null, null, null, null);
        }
    }

    /**
     * How much each part of a candidate's score counts; each at least 0, not all 0. They need not
     * add up to 1: the rule divides by their sum.
     */
    public record Weights(
            Double expertise,
            Double workload,
            Double responseTime,
            Double availability,
            Double performance) {
        public Weights {
            expertise = weight(expertise, 0.35, "expertise");
            workload = weight(workload, 0.25, "workload");
            responseTime = weight(responseTime, 0.20, "response_time");
            availability = weight(availability, 0.15, "availability");
            performance = weight(performance, 0.05, "performance");
            if (expertise + workload + responseTime + availability + performance <= 0) {
                throw new IllegalArgumentException("routing.weights must not all be 0");
            }
        }

        private static double weight(Double given, double otherwise, String name) {
            double w = given == null ? otherwise : given;
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException(
                        "routing.weights." + name + " must be a number >= 0, got " + given);
            }
            return w;
        }

        public static Weights defaults() {
            return new Weights(null, null, null, null, null);
        }

        /** Their sum, which the score divides by. */
        public double sum() {
            return expertise + workload + responseTime + availability + performance;
        }
    }

    /** Builds a {@link Routing} section; a field not set gets its default. */
    public static final class Builder {
        private Mode mode;
        private List<Candidate> candidates;
        private Weights weights;
        private Integer maxOpenAssignments;
        private Boolean assignIssues;
        private Boolean requestReviewers;
        private Boolean codeowners;
        private Duration expertiseHalfLife;
        private Boolean reassignOnSlaWarning;

        private Builder() {}

        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        public Builder candidates(List<Candidate> candidates) {
            this.candidates = candidates;
            return this;
        }

        public Builder weights(Weights weights) {
            this.weights = weights;
            return this;
        }

        public Builder maxOpenAssignments(Integer maxOpenAssignments) {
            this.maxOpenAssignments = maxOpenAssignments;
            return this;
        }

        public Builder assignIssues(Boolean assignIssues) {
            this.assignIssues = assignIssues;
            return this;
        }

        public Builder requestReviewers(Boolean requestReviewers) {
            this.requestReviewers = requestReviewers;
            return this;
        }

        public Builder codeowners(Boolean codeowners) {
            this.codeowners = codeowners;
            return this;
        }

        public Builder expertiseHalfLife(Duration expertiseHalfLife) {
            this.expertiseHalfLife = expertiseHalfLife;
            return this;
        }

        public Builder reassignOnSlaWarning(Boolean reassignOnSlaWarning) {
            this.reassignOnSlaWarning = reassignOnSlaWarning;
            return this;
        }

        public Routing build() {
            return new Routing(
                    mode,
                    candidates,
                    weights,
                    maxOpenAssignments,
                    assignIssues,
                    requestReviewers,
                    codeowners,
                    expertiseHalfLife,
                    reassignOnSlaWarning);
        }
    }
}

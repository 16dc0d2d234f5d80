package io.repostream.schemas;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-repository policy, on {@code github.config.v1} (compacted by repo). Every field but {@code
 * repo} has a default, and the compact constructors are the one place that gives them: a field left
 * out (null) gets its default, whether the policy comes from JSON on the topic, from a YAML file or
 * from {@link #defaults(String)} (which leaves out everything). That is why fields such as the
 * budget are boxed: a policy that omits {@code action_budget_per_hour} must mean "the default", not
 * 0. The JSON Schema documents the same defaults ({@code default}), checked by a test.
 *
 * @param repo lowercase {@code owner/repo}
 * @param triageLabel label given to new issues that arrive without any
 * @param enabledActions action types the rules may emit for this repo
 * @param dryRun audit would-be changes instead of making them
 * @param actionBudgetPerHour most actions per hour for this repo
 * @param sla response and resolution targets
 * @param calendar business hours, for SLA clocks that run in working time only
 * @param ignoreUsers logins (bots, automation) whose activity rules ignore
 * @param failurePatterns CI failure class name to regular expressions (RE2 syntax)
 * @param retry how failed CI is re-run
 * @param updatedAt when this policy was written
 * @param ciRisk how CI success predictions turn into risk levels, and whether high risk labels the
 *     pull request
 */
public record RepoPolicy(
        String repo,
        String triageLabel,
        Set<ActionType> enabledActions,
        Boolean dryRun,
        Integer actionBudgetPerHour,
        Sla sla,
        BusinessCalendar calendar,
        List<String> ignoreUsers,
        Map<String, List<String>> failurePatterns,
        Retry retry,
        Instant updatedAt,
        CiRisk ciRisk) {

    public static final String DEFAULT_TRIAGE_LABEL = "needs-triage";
    public static final int DEFAULT_ACTION_BUDGET_PER_HOUR = 300;

    public RepoPolicy {
        repo = Require.repo(repo, "repo");
        triageLabel = triageLabel == null ? DEFAULT_TRIAGE_LABEL : triageLabel;
        enabledActions =
                enabledActions == null ? defaultEnabledActions() : Set.copyOf(enabledActions);
        dryRun = dryRun != null && dryRun;
        actionBudgetPerHour =
                actionBudgetPerHour == null ? DEFAULT_ACTION_BUDGET_PER_HOUR : actionBudgetPerHour;
        if (actionBudgetPerHour < 0) {
            throw new IllegalArgumentException(
                    "action_budget_per_hour must be >= 0, got " + actionBudgetPerHour);
        }
        sla = sla == null ? Sla.defaults() : sla;
        calendar = calendar == null ? BusinessCalendar.always() : calendar;
        ignoreUsers = Require.list(ignoreUsers);
        failurePatterns = Require.map(failurePatterns);
        retry = retry == null ? Retry.defaults() : retry;
        updatedAt = updatedAt == null ? Instant.EPOCH : updatedAt;
        ciRisk = ciRisk == null ? CiRisk.defaults() : ciRisk;
    }

    /** A policy with the default {@link CiRisk}. */
    public RepoPolicy(
            String repo,
            String triageLabel,
            Set<ActionType> enabledActions,
            Boolean dryRun,
            Integer actionBudgetPerHour,
            Sla sla,
            BusinessCalendar calendar,
            List<String> ignoreUsers,
            Map<String, List<String>> failurePatterns,
            Retry retry,
            Instant updatedAt) {
        this(
                repo,
                triageLabel,
                enabledActions,
                dryRun,
                actionBudgetPerHour,
                sla,
                calendar,
                ignoreUsers,
                failurePatterns,
                retry,
                updatedAt,
                null);
    }

    /** The policy of a repo that has none: every field left out. */
    public static RepoPolicy defaults(String repo) {
        return new RepoPolicy(
                repo, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Every reversible action type; merges and cancellations need an explicit opt-in. */
    /**
     * The types a policy that leaves {@code enabled_actions} out enables: named one by one, never
     * derived from {@link ActionType#values()}, so a type added in an upgrade (a merge, a
     * notification) stays off in every repository until its policy names it.
     */
    private static final Set<ActionType> DEFAULT_ENABLED_ACTIONS =
            Set.copyOf(
                    EnumSet.of(
                            ActionType.ADD_LABELS,
                            ActionType.REMOVE_LABEL,
                            ActionType.CREATE_COMMENT,
                            ActionType.CLOSE_ISSUE,
                            ActionType.REOPEN_ISSUE,
                            ActionType.ADD_ASSIGNEES,
                            ActionType.REMOVE_ASSIGNEES,
                            ActionType.REQUEST_REVIEWERS,
                            ActionType.RERUN_FAILED_JOBS,
                            ActionType.RERUN_WORKFLOW));

    public static Set<ActionType> defaultEnabledActions() {
        return DEFAULT_ENABLED_ACTIONS;
    }

    public boolean enables(ActionType type) {
        return enabledActions.contains(type);
    }

    /**
     * SLA targets by priority and how priority is read from labels.
     *
     * @param targets priority ({@code P0}..{@code P3}) to targets
     * @param priorityLabels label name to priority (e.g. {@code priority/critical} to P0)
     * @param defaultPriority priority of items without a priority label
     * @param warnFraction emit a warning at this fraction of a target (0 = no warning)
     * @param businessHoursOnly whether SLA clocks stop outside the business calendar
     * @param escalateTo logins assigned to an issue or pull request when a deadline is breached
     *     (with {@code add_assignees} enabled); empty: no escalation
     */
    public record Sla(
            Map<String, SlaTarget> targets,
            Map<String, String> priorityLabels,
            String defaultPriority,
            Double warnFraction,
            Boolean businessHoursOnly,
            List<String> escalateTo) {

        public static final double DEFAULT_WARN_FRACTION = 0.8;

        /** Targets without escalation. */
        public Sla(
                Map<String, SlaTarget> targets,
                Map<String, String> priorityLabels,
                String defaultPriority,
                Double warnFraction,
                Boolean businessHoursOnly) {
            this(targets, priorityLabels, defaultPriority, warnFraction, businessHoursOnly, null);
        }

        public Sla {
            targets = targets == null ? defaultTargets() : Require.map(targets);
            priorityLabels =
                    priorityLabels == null ? defaultPriorityLabels() : Require.map(priorityLabels);
            defaultPriority = defaultPriority == null ? "P2" : defaultPriority;
            warnFraction = warnFraction == null ? DEFAULT_WARN_FRACTION : warnFraction;
            businessHoursOnly = businessHoursOnly != null && businessHoursOnly;
            if (warnFraction < 0 || warnFraction >= 1) {
                throw new IllegalArgumentException(
                        "sla.warn_fraction must be within [0, 1), got " + warnFraction);
            }
            escalateTo = Require.list(escalateTo);
            for (String login : escalateTo) {
                if (login == null || !login.matches("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")) {
                    throw new IllegalArgumentException(
                            "sla.escalate_to: '" + login + "' is not a GitHub login");
                }
            }
        }

        public static Sla defaults() {
            return new Sla(null, null, null, null, null, null);
        }

        static Map<String, SlaTarget> defaultTargets() {
            Map<String, SlaTarget> m = new LinkedHashMap<>();
            m.put("P0", new SlaTarget(Duration.ofMinutes(5), Duration.ofHours(4)));
            m.put("P1", new SlaTarget(Duration.ofMinutes(30), Duration.ofHours(24)));
            m.put("P2", new SlaTarget(Duration.ofHours(2), Duration.ofDays(5)));
            m.put("P3", new SlaTarget(Duration.ofHours(24), Duration.ofDays(30)));
            return Require.map(m);
        }

        static Map<String, String> defaultPriorityLabels() {
            Map<String, String> m = new LinkedHashMap<>();
            for (int p = 0; p <= 3; p++) {
                m.put("P" + p, "P" + p);
            }
            m.put("priority/critical", "P0");
            m.put("priority/high", "P1");
            m.put("priority/medium", "P2");
            m.put("priority/low", "P3");
            return Require.map(m);
        }
    }

    /** First-response and resolution targets of one priority. */
    public record SlaTarget(
            @JsonDeserialize(using = PolicyDuration.Deserializer.class) Duration firstResponse,
            @JsonDeserialize(using = PolicyDuration.Deserializer.class) Duration resolution) {
        public SlaTarget {
            Require.positive(Require.present(firstResponse, "first_response"), "first_response");
            Require.positive(Require.present(resolution, "resolution"), "resolution");
        }
    }

    /**
     * Working time, for SLA clocks that run in business hours only.
     *
     * @param timeZone an IANA zone id, e.g. {@code Europe/Berlin}
     * @param workingDays days on which the clock runs
     * @param start start of the working day, local time
     * @param end end of the working day, local time
     * @param holidays days on which the clock stops
     */
    public record BusinessCalendar(
            String timeZone,
            List<DayOfWeek> workingDays,
            LocalTime start,
            LocalTime end,
            List<LocalDate> holidays) {

        public BusinessCalendar {
            timeZone = timeZone == null ? "UTC" : timeZone;
            try {
                ZoneId.of(timeZone);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "calendar.time_zone '" + timeZone + "' is not a known time zone", e);
            }
            workingDays =
                    workingDays == null ? List.of(DayOfWeek.values()) : List.copyOf(workingDays);
            start = start == null ? LocalTime.MIN : start;
            end = end == null ? LocalTime.MAX : end;
            holidays = Require.list(holidays);
        }

        /** A clock that always runs. */
        public static BusinessCalendar always() {
            return new BusinessCalendar(null, null, null, null, null);
        }
    }

    /**
     * Risk levels of CI success predictions: a predicted failure probability of at least {@code
     * medium} is MEDIUM, at least {@code high} HIGH, at least {@code critical} CRITICAL, below
     * {@code medium} LOW.
     *
     * @param medium failure probability from which a build is MEDIUM risk (default 0.3)
     * @param high ... HIGH risk (default 0.5: the trainer balances classes, so 0.5 is its
     *     threshold)
     * @param critical ... CRITICAL risk (default 0.75)
     * @param labelHighRisk label pull requests predicted HIGH or CRITICAL with {@code ci/high-risk}
     *     (with {@code add_labels} enabled); off unless asked for
     */
    public record CiRisk(Double medium, Double high, Double critical, Boolean labelHighRisk) {
        public CiRisk {
            labelHighRisk = labelHighRisk != null && labelHighRisk;
            medium = medium == null ? 0.3 : medium;
            high = high == null ? 0.5 : high;
            critical = critical == null ? 0.75 : critical;
            if (!(0 < medium && medium <= high && high <= critical && critical <= 1)) {
                throw new IllegalArgumentException(
                        "ci_risk thresholds must satisfy 0 < medium <= high <= critical <= 1, got "
                                + medium
                                + ", "
                                + high
                                + ", "
                                + critical);
            }
        }

        public static CiRisk defaults() {
            return new CiRisk(null, null, null, null);
        }
    }

    /**
     * How failed CI is re-run: exponential backoff with jitter, at most {@code maxAttempts} runs.
     */
    public record Retry(
            Integer maxAttempts,
            @JsonDeserialize(using = PolicyDuration.Deserializer.class) Duration baseDelay,
            @JsonDeserialize(using = PolicyDuration.Deserializer.class) Duration maxDelay) {
        public static final int DEFAULT_MAX_ATTEMPTS = 3;

        public Retry {
            maxAttempts = maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : maxAttempts;
            if (maxAttempts < 1) {
                throw new IllegalArgumentException(
                        "retry.max_attempts must be >= 1, got " + maxAttempts);
            }
            baseDelay =
                    baseDelay == null
                            ? Duration.ofMinutes(1)
                            : Require.positive(baseDelay, "retry.base_delay");
            maxDelay = maxDelay == null ? Duration.ofMinutes(30) : maxDelay;
            if (maxDelay.compareTo(baseDelay) < 0) {
                throw new IllegalArgumentException(
                        "retry.max_delay ("
                                + maxDelay
                                + ") must not be shorter than retry.base_delay ("
                                + baseDelay
                                + ")");
            }
        }

        public static Retry defaults() {
            return new Retry(null, null, null);
        }
    }
}

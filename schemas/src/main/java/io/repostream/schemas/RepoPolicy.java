package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
 * Per-repository policy, on {@code github.config.v1} (compacted by repo): settings every rule
 * shares (enabled action types, dry run, budget, {@code ignore_users}) and one section per rule
 * ({@link Triage triage}, {@link Sla sla}, {@link Ci ci}; later rules add theirs). A rule whose
 * section is absent from a policy is off for that repository; each present section has a {@link
 * Mode} ({@code on}, {@code shadow}: dry run, {@code off}).
 *
 * <p>Two forms are read. A policy with {@code policy_version: 2} lists the rules it turns on: a
 * section it leaves out is off. A policy without it (every policy written before sections existed,
 * flat: {@code triage_label}, {@code calendar}, {@code failure_patterns}, {@code retry}, {@code
 * ci_risk} at the top) turns on the sections of the rules of that release, triage, sla and ci, and
 * its flat fields are read into them; a rule added later is off unless its section is present. A
 * repository without a policy runs on {@link #defaults(String)}, which is the same: triage, sla and
 * ci on with their defaults. Records are written in the second form, with the flat fields repeated
 * for the topic's readers that know only them (rule 9: v1 changes additively).
 *
 * <p>Every field but {@code repo} has a default, given in the compact constructors: a field left
 * out (null) gets its default, from JSON on the topic, a YAML file or a builder. That is why fields
 * such as the budget are boxed: a policy that omits {@code action_budget_per_hour} must mean "the
 * default", not 0. The JSON Schema documents the same defaults ({@code default}), checked by a
 * test. Build policies with {@link #builder(String)}.
 *
 * @param repo lowercase {@code owner/repo}
 * @param enabledActions action types the rules may emit for this repo
 * @param dryRun audit would-be changes instead of making them (every rule)
 * @param actionBudgetPerHour most actions per hour for this repo
 * @param ignoreUsers logins (bots, automation) whose activity rules ignore; read by {@link
 *     #ignores(String)} only
 * @param updatedAt when this policy was written
 * @param triage the triage rule's section
 * @param sla the SLA monitor's section
 * @param ci the CI rules' section (classifier, re-runs, risk levels of predictions)
 * @param commands the slash-command framework's section: off unless present, in both forms (it came
 *     after sections did), so comments starting with {@code /} get no answer from us until a
 *     repository asks for it
 * @param mergeQueue the merge rules' section (eligibility per base branch, the check run that says
 *     why, auto-merge): off unless present, in both forms
 * @param lifecycle the lifecycle rule's section ({@link Lifecycle}): off unless present, in both
 *     forms
 * @param routing the routing rule's section ({@link Routing}: assignees and reviewers): off unless
 *     present, in both forms
 * @param completion the completion rule's section ({@link Completion}): off unless present, in both
 *     forms
 * @param maintenance the maintenance rule's section ({@link Maintenance}: quiet-hour windows and
 *     their tasks): off unless present, in both forms
 */
@JsonDeserialize(using = RepoPolicy.Reader.class)
public record RepoPolicy(
        String repo,
        Set<ActionType> enabledActions,
        Boolean dryRun,
        Integer actionBudgetPerHour,
        List<String> ignoreUsers,
        Instant updatedAt,
        Triage triage,
        Sla sla,
        Ci ci,
        Commands commands,
        MergeQueue mergeQueue,
        Lifecycle lifecycle,
        Routing routing,
        Completion completion,
        Maintenance maintenance) {

    public static final String DEFAULT_TRIAGE_LABEL = Triage.DEFAULT_LABEL;
    public static final int DEFAULT_ACTION_BUDGET_PER_HOUR = 300;

    /** The form records are written in: sections, each rule off unless its section is present. */
    public static final int CURRENT_VERSION = 2;

    /**
     * The sections a policy without {@code policy_version} (and a repository without a policy)
     * turns on: those of the rules that existed before sections did. Never add to it: a rule added
     * later is off until a policy names its section.
     */
    public static final Set<String> LEGACY_SECTIONS = Set.of("triage", "sla", "ci");

    public RepoPolicy {
        repo = Require.repo(repo, "repo");
        enabledActions =
                enabledActions == null ? defaultEnabledActions() : Set.copyOf(enabledActions);
        dryRun = dryRun != null && dryRun;
        actionBudgetPerHour =
                actionBudgetPerHour == null ? DEFAULT_ACTION_BUDGET_PER_HOUR : actionBudgetPerHour;
        if (actionBudgetPerHour < 0) {
            throw new IllegalArgumentException(
                    "action_budget_per_hour must be >= 0, got " + actionBudgetPerHour);
        }
        ignoreUsers = Require.list(ignoreUsers);
        updatedAt = updatedAt == null ? Instant.EPOCH : updatedAt;
        triage = triage == null ? Triage.defaults() : triage;
        sla = sla == null ? Sla.defaults() : sla;
        ci = ci == null ? Ci.defaults() : ci;
        commands = commands == null ? Commands.off() : commands;
        mergeQueue = mergeQueue == null ? MergeQueue.off() : mergeQueue;
        lifecycle = lifecycle == null ? Lifecycle.off() : lifecycle;
        routing = routing == null ? Routing.off() : routing;
        completion = completion == null ? Completion.off() : completion;
        maintenance = maintenance == null ? Maintenance.off() : maintenance;
    }

    /**
     * The policy of a repo that has none: every field left out, the sections of {@link
     * #LEGACY_SECTIONS} on with their defaults.
     */
    public static RepoPolicy defaults(String repo) {
        return builder(repo).build();
    }

    /**
     * A policy for {@code repo} that starts as {@link #defaults(String)} (triage, sla and ci on
     * with their defaults); a section set to {@code Triage.off()} (or any section with mode off)
     * turns its rule off.
     */
    public static Builder builder(String repo) {
        return new Builder(repo);
    }

    /** A builder that starts from this policy. */
    public Builder toBuilder() {
        return new Builder(repo)
                .enabledActions(enabledActions)
                .dryRun(dryRun)
                .actionBudgetPerHour(actionBudgetPerHour)
                .ignoreUsers(ignoreUsers)
                .updatedAt(updatedAt)
                .triage(triage)
                .sla(sla)
                .ci(ci)
                .commands(commands)
                .mergeQueue(mergeQueue)
                .lifecycle(lifecycle)
                .routing(routing)
                .completion(completion)
                .maintenance(maintenance);
    }

    /**
     * The mode of the section named {@code section} ({@code triage}, {@code sla}, {@code ci}):
     * {@link Mode#OFF} for a section this policy does not have, including the sections of rules
     * this version of the record does not know.
     */
    public Mode mode(String section) {
        return switch (section) {
            case "triage" -> triage.mode();
            case "sla" -> sla.mode();
            case "ci" -> ci.mode();
            case "commands" -> commands.mode();
            case "merge_queue" -> mergeQueue.mode();
            case "lifecycle" -> lifecycle.mode();
            case "routing" -> routing.mode();
            case "completion" -> completion.mode();
            case "maintenance" -> maintenance.mode();
            default -> Mode.OFF;
        };
    }

    /**
     * Whether {@code ignore_users} names {@code login}. GitHub logins are case-insensitive, so the
     * match is too; a GitHub App's account is named with its {@code [bot]} suffix ({@code
     * dependabot[bot]}), as GitHub names it. The one way every rule reads {@code ignore_users}.
     */
    public boolean ignores(String login) {
        return Accounts.named(ignoreUsers, login);
    }

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

    // The flat fields of the first form, written for the topic's readers that know only them.

    @JsonProperty("policy_version")
    int policyVersion() {
        return CURRENT_VERSION;
    }

    @JsonProperty("triage_label")
    String legacyTriageLabel() {
        return triage.label();
    }

    @JsonProperty("calendar")
    BusinessCalendar legacyCalendar() {
        return sla.calendar();
    }

    @JsonProperty("failure_patterns")
    Map<String, List<String>> legacyFailurePatterns() {
        return ci.failurePatterns();
    }

    @JsonProperty("retry")
    Retry legacyRetry() {
        return ci.retry();
    }

    @JsonProperty("ci_risk")
    CiRisk legacyCiRisk() {
        return ci.risk();
    }

    /** How a rule acts on a repository whose policy has its section. */
    public enum Mode implements WireEnum {
        /** The rule does nothing for the repository (as when its section is absent). */
        OFF("off"),
        /**
         * Dry run: the rule's actions are emitted marked {@code dry_run}, and the executor audits
         * the would-be change and writes nothing.
         */
        SHADOW("shadow"),
        /** The rule acts. */
        ON("on");

        private final String wire;

        Mode(String wire) {
            this.wire = wire;
        }

        @JsonValue
        @Override
        public String wireName() {
            return wire;
        }

        @JsonCreator
        public static Mode of(String wire) {
            return WireEnum.parse(Mode.class, wire);
        }
    }

    /** Settings every rule shares, and the sections. */
    public static final class Builder {
        private final String repo;
        private Set<ActionType> enabledActions;
        private Boolean dryRun;
        private Integer actionBudgetPerHour;
        private List<String> ignoreUsers;
        private Instant updatedAt;
        private Triage triage;
        private Sla sla;
        private Ci ci;
        private Commands commands;
        private MergeQueue mergeQueue;
        private Lifecycle lifecycle;
        private Routing routing;
        private Completion completion;
        private Maintenance maintenance;

        private Builder(String repo) {
            this.repo = repo;
        }

        public Builder enabledActions(Set<ActionType> types) {
            this.enabledActions = types;
            return this;
        }

        public Builder dryRun(Boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        public Builder actionBudgetPerHour(Integer budget) {
            this.actionBudgetPerHour = budget;
            return this;
        }

        public Builder ignoreUsers(List<String> logins) {
            this.ignoreUsers = logins;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Builder triage(Triage triage) {
            this.triage = triage;
            return this;
        }

        public Builder sla(Sla sla) {
            this.sla = sla;
            return this;
        }

        public Builder ci(Ci ci) {
            this.ci = ci;
            return this;
        }

        public Builder commands(Commands commands) {
            this.commands = commands;
            return this;
        }

        public Builder mergeQueue(MergeQueue mergeQueue) {
            this.mergeQueue = mergeQueue;
            return this;
        }

        public Builder lifecycle(Lifecycle lifecycle) {
            this.lifecycle = lifecycle;
            return this;
        }

        public Builder routing(Routing routing) {
            this.routing = routing;
            return this;
        }

        public Builder completion(Completion completion) {
            this.completion = completion;
            return this;
        }

        public Builder maintenance(Maintenance maintenance) {
            this.maintenance = maintenance;
            return this;
        }

        public RepoPolicy build() {
            return new RepoPolicy(
                    repo,
                    enabledActions,
                    dryRun,
                    actionBudgetPerHour,
                    ignoreUsers,
                    updatedAt,
                    triage,
                    sla,
                    ci,
                    commands,
                    mergeQueue,
                    lifecycle,
                    routing,
                    completion,
                    maintenance);
        }
    }

    /**
     * Section {@code commands:} of the slash-command framework: comments whose lines start with
     * {@code /command} are parsed, checked against the commenter's permission and routed to the
     * rule that declares the command; an unknown or refused command gets one reply. Off unless the
     * section is present (also for policies without {@code policy_version}: the framework came
     * after them); a command of a rule whose own section is off is not run.
     *
     * @param mode on (default when the section is present), shadow (replies and effects as dry
     *     runs) or off
     */
    public record Commands(Mode mode) {
        public Commands {
            mode = mode == null ? Mode.ON : mode;
        }

        /** On. */
        public static Commands on() {
            return new Commands(Mode.ON);
        }

        /** The section absent: the framework is off. */
        public static Commands off() {
            return new Commands(Mode.OFF);
        }
    }

    /**
     * Section {@code triage:} of the triage rule: new issues that arrive without any label get one.
     *
     * @param mode on (default when the section is present), shadow or off
     * @param label the label given to new issues that arrive without any
     */
    public record Triage(Mode mode, String label) {
        public static final String DEFAULT_LABEL = "needs-triage";

        public Triage {
            mode = mode == null ? Mode.ON : mode;
            label = label == null ? DEFAULT_LABEL : label;
            if (label.isBlank()) {
                throw new IllegalArgumentException("triage.label must not be blank");
            }
        }

        /** On, with the default label. */
        public static Triage defaults() {
            return new Triage(null, null);
        }

        /** The section absent: the rule is off. */
        public static Triage off() {
            return new Triage(Mode.OFF, null);
        }

        /** On, giving {@code label}. */
        public static Triage labelling(String label) {
            return new Triage(null, label);
        }

        public Triage withMode(Mode mode) {
            return new Triage(mode, label);
        }
    }

    /**
     * Section {@code sla:} of the SLA monitor: targets by priority, how priority is read from
     * labels, the business calendar its clocks may follow, and escalation.
     *
     * @param mode on (default when the section is present), shadow or off
     * @param targets priority ({@code P0}..{@code P3}) to targets
     * @param priorityLabels label name to priority (e.g. {@code priority/critical} to P0)
     * @param defaultPriority priority of items without a priority label
     * @param warnFraction emit a warning at this fraction of a target (0 = no warning)
     * @param businessHoursOnly whether SLA clocks stop outside the business calendar
     * @param escalateTo logins assigned to an issue or pull request when a deadline is breached
     *     (with {@code add_assignees} enabled); empty: no escalation
     * @param calendar business hours, for SLA clocks that run in working time only
     * @param escalationLevels the ordered escalation levels of a breach's incident (Slack channel,
     *     PagerDuty routing key name, wait); a policy file writes them as objects among {@code
     *     escalate_to}'s logins (one place), and the record keeps them here, written as {@code
     *     escalation_levels}, so that readers of the released schema (strings in {@code
     *     escalate_to}) still read what is written now (ARCHITECTURE.md rule 9); empty: no incident
     * @param incidentReportComment whether a resolved incident's report (timeline, time to
     *     acknowledge, time to resolve) is also posted as a comment on its item; it is always on
     *     {@code github.metrics.v1} (default false)
     */
    public record Sla(
            Mode mode,
            Map<String, SlaTarget> targets,
            Map<String, String> priorityLabels,
            String defaultPriority,
            Double warnFraction,
            Boolean businessHoursOnly,
            List<String> escalateTo,
            BusinessCalendar calendar,
            List<EscalationLevel> escalationLevels,
            Boolean incidentReportComment) {

        public static final double DEFAULT_WARN_FRACTION = 0.8;

        public Sla {
            mode = mode == null ? Mode.ON : mode;
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
            calendar = calendar == null ? BusinessCalendar.always() : calendar;
            escalationLevels = Require.list(escalationLevels);
            incidentReportComment = incidentReportComment != null && incidentReportComment;
        }

        /** On, with every default. */
        public static Sla defaults() {
            return builder().build();
        }

        /** The section absent: the rule is off. */
        public static Sla off() {
            return builder().mode(Mode.OFF).build();
        }

        public static SlaBuilder builder() {
            return new SlaBuilder();
        }

        public SlaBuilder toBuilder() {
            return new SlaBuilder()
                    .mode(mode)
                    .targets(targets)
                    .priorityLabels(priorityLabels)
                    .defaultPriority(defaultPriority)
                    .warnFraction(warnFraction)
                    .businessHoursOnly(businessHoursOnly)
                    .escalateTo(escalateTo)
                    .calendar(calendar)
                    .escalationLevels(escalationLevels)
                    .incidentReportComment(incidentReportComment);
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

    /** Builds an {@link Sla} section; a field not set gets its default. */
    public static final class SlaBuilder {
        private Mode mode;
        private Map<String, SlaTarget> targets;
        private Map<String, String> priorityLabels;
        private String defaultPriority;
        private Double warnFraction;
        private Boolean businessHoursOnly;
        private List<String> escalateTo;
        private BusinessCalendar calendar;
        private List<EscalationLevel> escalationLevels;
        private Boolean incidentReportComment;

        private SlaBuilder() {}

        public SlaBuilder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        public SlaBuilder targets(Map<String, SlaTarget> targets) {
            this.targets = targets;
            return this;
        }

        public SlaBuilder priorityLabels(Map<String, String> priorityLabels) {
            this.priorityLabels = priorityLabels;
            return this;
        }

        public SlaBuilder defaultPriority(String defaultPriority) {
            this.defaultPriority = defaultPriority;
            return this;
        }

        public SlaBuilder warnFraction(Double warnFraction) {
            this.warnFraction = warnFraction;
            return this;
        }

        public SlaBuilder businessHoursOnly(Boolean businessHoursOnly) {
            this.businessHoursOnly = businessHoursOnly;
            return this;
        }

        public SlaBuilder escalateTo(List<String> logins) {
            this.escalateTo = logins;
            return this;
        }

        public SlaBuilder calendar(BusinessCalendar calendar) {
            this.calendar = calendar;
            return this;
        }

        public SlaBuilder escalationLevels(List<EscalationLevel> levels) {
            this.escalationLevels = levels;
            return this;
        }

        public SlaBuilder incidentReportComment(Boolean incidentReportComment) {
            this.incidentReportComment = incidentReportComment;
            return this;
        }

        public Sla build() {
            return new Sla(
                    mode,
                    targets,
                    priorityLabels,
                    defaultPriority,
                    warnFraction,
                    businessHoursOnly,
                    escalateTo,
                    calendar,
                    escalationLevels,
                    incidentReportComment);
        }
    }

    /**
     * One level of an SLA incident's escalation: who is told, and how long they have to acknowledge
     * (a maintainer's comment or label) before the next level is told too.
     *
     * @param slackChannel the Slack channel posted to ({@code #sla-oncall} or an id), or null
     * @param pagerdutyRoutingKey the <em>name</em> of a PagerDuty routing key in the executor's
     *     settings (never the key itself), or null
     * @param waitFor how long the level has before the next one ({@code wait} in a policy); {@link
     *     #DEFAULT_WAIT} when absent
     */
    public record EscalationLevel(
            String slackChannel,
            String pagerdutyRoutingKey,
            @JsonProperty("wait") @JsonDeserialize(using = PolicyDuration.Deserializer.class)
                    Duration waitFor) {

        public static final Duration DEFAULT_WAIT = Duration.ofMinutes(15);

        public EscalationLevel {
            if (slackChannel == null && pagerdutyRoutingKey == null) {
                throw new IllegalArgumentException(
                        "sla.escalate_to: a level names a slack_channel, a pagerduty_routing_key"
                                + " or both");
            }
            if (slackChannel != null
                    && !slackChannel.matches("#?[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{8,}")) {
                throw new IllegalArgumentException(
                        "sla.escalate_to: '"
                                + slackChannel
                                + "' is not a Slack channel name (#name) or id");
            }
            if (pagerdutyRoutingKey != null) {
                if (!pagerdutyRoutingKey.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                    throw new IllegalArgumentException(
                            "sla.escalate_to: pagerduty_routing_key names a routing key in the"
                                    + " executor's settings (letters, digits, . _ -)");
                }
                if (pagerdutyRoutingKey.matches("[A-Za-z0-9]{32}")) {
                    // never echo it: it may be a secret pasted by mistake
                    throw new IllegalArgumentException(
                            "sla.escalate_to: pagerduty_routing_key looks like a routing key"
                                    + " itself; a policy names the key (e.g. team-oncall), the"
                                    + " executor's settings hold it");
                }
            }
            waitFor =
                    waitFor == null
                            ? DEFAULT_WAIT
                            : Require.positive(waitFor, "sla.escalate_to wait");
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
     * Section {@code ci:} of the CI rules: the failure classifier's patterns, how the re-run rule
     * re-runs, and the risk levels of CI success predictions.
     *
     * @param mode on (default when the section is present), shadow or off
     * @param failurePatterns CI failure class name to regular expressions (RE2 syntax)
     * @param retry how failed CI is re-run
     * @param risk how CI success predictions turn into risk levels, and whether high risk labels
     *     the pull request
     * @param readLogs whether the classifier reads a failed job's log (a {@code read_job_log} read
     *     action) and classifies its error lines; default false, as the GitHub App then needs
     *     {@code actions: read}, which installations made before have not granted
     * @param logWait how long a completed failed run waits for the logs of its failed jobs before
     *     it is classified without the missing ones; default two minutes
     */
    public record Ci(
            Mode mode,
            Map<String, List<String>> failurePatterns,
            Retry retry,
            CiRisk risk,
            Boolean readLogs,
            @JsonDeserialize(using = PolicyDuration.Deserializer.class) Duration logWait) {
        public static final Duration DEFAULT_LOG_WAIT = Duration.ofMinutes(2);

        public Ci {
            mode = mode == null ? Mode.ON : mode;
            failurePatterns = Require.map(failurePatterns);
            retry = retry == null ? Retry.defaults() : retry;
            risk = risk == null ? CiRisk.defaults() : risk;
            readLogs = readLogs == null ? Boolean.FALSE : readLogs;
            logWait = logWait == null ? DEFAULT_LOG_WAIT : Require.positive(logWait, "ci.log_wait");
        }

        /** On, with every default. */
        public static Ci defaults() {
            return builder().build();
        }

        /** The section absent: the rules are off. */
        public static Ci off() {
            return builder().mode(Mode.OFF).build();
        }

        public static CiBuilder builder() {
            return new CiBuilder();
        }

        public CiBuilder toBuilder() {
            return new CiBuilder()
                    .mode(mode)
                    .failurePatterns(failurePatterns)
                    .retry(retry)
                    .risk(risk)
                    .readLogs(readLogs)
                    .logWait(logWait);
        }
    }

    /** Builds a {@link Ci} section; a field not set gets its default. */
    public static final class CiBuilder {
        private Mode mode;
        private Map<String, List<String>> failurePatterns;
        private Retry retry;
        private CiRisk risk;
        private Boolean readLogs;
        private Duration logWait;

        private CiBuilder() {}

        public CiBuilder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        public CiBuilder failurePatterns(Map<String, List<String>> failurePatterns) {
            this.failurePatterns = failurePatterns;
            return this;
        }

        public CiBuilder retry(Retry retry) {
            this.retry = retry;
            return this;
        }

        public CiBuilder risk(CiRisk risk) {
            this.risk = risk;
            return this;
        }

        public CiBuilder readLogs(Boolean readLogs) {
            this.readLogs = readLogs;
            return this;
        }

        public CiBuilder logWait(Duration logWait) {
            this.logWait = logWait;
            return this;
        }

        public Ci build() {
            return new Ci(mode, failurePatterns, retry, risk, readLogs, logWait);
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
                        "ci.risk thresholds must satisfy 0 < medium <= high <= critical <= 1, got "
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

    /** The sectioned form, as {@link Reader} binds it once the flat fields are moved in. */
    record Wire(
            String repo,
            Integer policyVersion,
            Set<ActionType> enabledActions,
            Boolean dryRun,
            Integer actionBudgetPerHour,
            List<String> ignoreUsers,
            Instant updatedAt,
            Triage triage,
            Sla sla,
            Ci ci,
            Commands commands,
            MergeQueue mergeQueue,
            Lifecycle lifecycle,
            Routing routing,
            Completion completion,
            Maintenance maintenance) {}

    /**
     * Reads both forms: moves the flat fields of the first form into their sections (a section's
     * own field wins), gives each absent section its mode ({@link #LEGACY_SECTIONS} on without
     * {@code policy_version}, off with it), and binds the rest with the caller's settings (a reader
     * that fails on unknown properties still does, in sections too).
     */
    static final class Reader extends StdDeserializer<RepoPolicy> {
        private static final long serialVersionUID = 1L;

        Reader() {
            super(RepoPolicy.class);
        }

        @Override
        public RepoPolicy deserialize(JsonParser p, DeserializationContext ctxt)
                throws IOException {
            JsonNode read = ctxt.readTree(p);
            if (!read.isObject()) {
                return (RepoPolicy) ctxt.handleUnexpectedToken(RepoPolicy.class, p);
            }
            ObjectNode tree = ((ObjectNode) read).deepCopy();
            boolean sectioned = tree.path("policy_version").asInt(1) >= CURRENT_VERSION;
            ObjectNode triage = section(tree, "triage", sectioned);
            ObjectNode sla = section(tree, "sla", sectioned);
            ObjectNode ci = section(tree, "ci", sectioned);
            moveInto(tree, "triage_label", triage, "label");
            moveInto(tree, "calendar", sla, "calendar");
            moveLevels(sla);
            moveInto(tree, "failure_patterns", ci, "failure_patterns");
            moveInto(tree, "retry", ci, "retry");
            moveInto(tree, "ci_risk", ci, "risk");
            Wire w = ctxt.readTreeAsValue(tree, Wire.class);
            try {
                return new RepoPolicy(
                        w.repo(),
                        w.enabledActions(),
                        w.dryRun(),
                        w.actionBudgetPerHour(),
                        w.ignoreUsers(),
                        w.updatedAt(),
                        w.triage(),
                        w.sla(),
                        w.ci(),
                        w.commands(),
                        w.mergeQueue(),
                        w.lifecycle(),
                        w.routing(),
                        w.completion(),
                        w.maintenance());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw ValueInstantiationException.from(
                        p, e.getMessage(), ctxt.constructType(RepoPolicy.class), e);
            }
        }

        private static ObjectNode section(ObjectNode tree, String name, boolean sectioned) {
            JsonNode given = tree.get(name);
            if (given != null && given.isObject()) {
                return (ObjectNode) given;
            }
            if (given != null && !given.isNull()) {
                return null; // not an object: binding reports it
            }
            ObjectNode section = tree.putObject(name);
            if (sectioned) {
                section.put("mode", Mode.OFF.wireName());
            }
            return section;
        }

        /**
         * Moves the escalation levels a policy file writes among {@code sla.escalate_to}'s logins
         * (objects) into {@code escalation_levels}, after any already there, in their order.
         */
        private static void moveLevels(ObjectNode sla) {
            if (sla == null || !(sla.get("escalate_to") instanceof ArrayNode given)) {
                return;
            }
            ArrayNode logins = sla.arrayNode();
            ArrayNode levels = sla.arrayNode();
            if (sla.get("escalation_levels") instanceof ArrayNode written) {
                levels.addAll(written);
            } else if (sla.has("escalation_levels")) {
                return; // not a list: binding reports it
            }
            boolean moved = false;
            for (JsonNode item : given) {
                if (item.isObject()) {
                    levels.add(item);
                    moved = true;
                } else {
                    logins.add(item);
                }
            }
            if (moved) {
                sla.set("escalate_to", logins);
                sla.set("escalation_levels", levels);
            }
        }

        private static void moveInto(
                ObjectNode tree, String flat, ObjectNode section, String field) {
            JsonNode value = tree.remove(flat);
            if (value != null && section != null && !section.has(field)) {
                section.set(field, value);
            }
        }
    }
}

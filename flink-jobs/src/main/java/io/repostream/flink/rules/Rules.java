package io.repostream.flink.rules;

import io.repostream.flink.prediction.CiSuccessPredictor;
import io.repostream.flink.rules.ci.CiCommands;
import io.repostream.flink.rules.ci.CiEvents;
import io.repostream.flink.rules.ci.CiFailure;
import io.repostream.flink.rules.ci.CiFailureClassifierFunction;
import io.repostream.flink.rules.ci.CiRetryPlanner;
import io.repostream.flink.rules.commands.CommandEvents;
import io.repostream.flink.rules.commands.CommandRegistry;
import io.repostream.flink.rules.commands.HelpCommand;
import io.repostream.flink.rules.commands.LabelCommands;
import io.repostream.flink.rules.commands.SlashCommandFunction;
import io.repostream.flink.rules.completion.CompletionEvents;
import io.repostream.flink.rules.completion.CompletionFunction;
import io.repostream.flink.rules.config.RepoConfigEvents;
import io.repostream.flink.rules.config.RepoConfigFunction;
import io.repostream.flink.rules.lifecycle.LifecycleCommands;
import io.repostream.flink.rules.lifecycle.LifecycleFunction;
import io.repostream.flink.rules.maintenance.MaintenanceEvents;
import io.repostream.flink.rules.maintenance.MaintenanceFunction;
import io.repostream.flink.rules.merge.MergeCommands;
import io.repostream.flink.rules.merge.MergeEligibilityFunction;
import io.repostream.flink.rules.merge.MergeEvents;
import io.repostream.flink.rules.merge.MergeQueueEvents;
import io.repostream.flink.rules.merge.MergeQueueFunction;
import io.repostream.flink.rules.routing.RoutingEvents;
import io.repostream.flink.rules.routing.RoutingFunction;
import io.repostream.flink.rules.sla.PriorityCommand;
import io.repostream.flink.rules.sla.SlaDeadlineFunction;
import io.repostream.flink.rules.triage.TriageCommands;
import io.repostream.flink.rules.triage.TriageLabelFunction;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.GitHubEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registered rules, in the order the job builds them (a rule that consumes another's output
 * comes after it). Adding a rule is one line in {@link #REGISTERED}.
 */
public final class Rules {
    private Rules() {}

    /** Events about one issue or pull request, keyed by it; shared by the rules that read them. */
    public static final RuleInput<GitHubEvent> ITEM_EVENTS =
            RuleInput.events(
                    "issue-and-pr-events", new ItemEvents(), new ItemKey(), "owner/repo#number");

    /**
     * The command framework's input: item events keyed by item, and completed workflow runs keyed
     * by the pull request they ran for (for {@code /retest}), the same {@code owner/repo#number}.
     */
    public static final RuleInput<GitHubEvent> COMMAND_EVENTS =
            RuleInput.events(
                    "comment-and-pull-request-run-events",
                    new CommandEvents(),
                    new CommandEvents.Key(),
                    "owner/repo#number");

    /** Completed CI work, keyed by repository and workflow. */
    public static final RuleInput<GitHubEvent> CI_COMPLETIONS =
            RuleInput.events(
                    "ci-completions", new CiEvents(), new CiEvents.Key(), "owner/repo|workflow");

    /** The events of people's (and bots') activity on an issue or pull request. */
    private static final String[] ITEM_ACTIVITY = {
        "issues",
        "pull_request",
        "issue_comment",
        "pull_request_review",
        "pull_request_review_comment"
    };

    /** The fields {@link ItemEvents} and {@link ItemKey} read. */
    private static final String[] ITEM_NUMBER = {"/issue/number", "/pull_request/number"};

    public static final Rule<GitHubEvent> TRIAGE =
            Rule.builder("triage-label", TriageLabelFunction.RULE, ITEM_EVENTS)
                    .function(TriageLabelFunction::new)
                    .events("issues")
                    .fields(ITEM_NUMBER)
                    .fields("/issue/labels/name", "/issue/user/login")
                    .policySection("triage")
                    .command(
                            LabelCommands.LABEL,
                            LabelCommands.UNLABEL,
                            LabelCommands.REMOVE_LABEL,
                            TriageCommands.ASSIGN,
                            TriageCommands.UNASSIGN,
                            TriageCommands.CC,
                            TriageCommands.CLOSE)
                    .emits(
                            ActionPriority.ROUTINE,
                            ActionType.ADD_LABELS,
                            ActionType.REMOVE_LABEL,
                            ActionType.ADD_ASSIGNEES,
                            ActionType.REMOVE_ASSIGNEES,
                            ActionType.REQUEST_REVIEWERS,
                            ActionType.CLOSE_ISSUE)
                    .build();

    public static final Rule<GitHubEvent> SLA =
            Rule.builder("sla-monitor", SlaDeadlineFunction.RULE, ITEM_EVENTS)
                    .function(SlaDeadlineFunction::new)
                    .events(ITEM_ACTIVITY)
                    .fields(ITEM_NUMBER)
                    .fields(
                            "/issue/labels/name",
                            "/pull_request/labels/name",
                            "/issue/user/login",
                            "/pull_request/user/login",
                            "/comment/user/login",
                            "/comment/user/type",
                            "/review/user/login",
                            "/review/user/type",
                            // who acknowledges an incident (issue 17)
                            "/comment/author_association",
                            "/review/author_association",
                            "/sender/login",
                            "/sender/type")
                    .signals(SlaDeadlineFunction.SIGNALS)
                    // warnings, for the routing rule's reassignment (issue 17)
                    .output(SlaDeadlineFunction.WARNINGS)
                    .policySection("sla")
                    .command(PriorityCommand.PRIORITY)
                    .emits(
                            ActionPriority.SLA_BREACH,
                            ActionType.ADD_LABELS,
                            ActionType.CREATE_COMMENT,
                            ActionType.ADD_ASSIGNEES,
                            ActionType.NOTIFY_SLACK,
                            ActionType.PAGERDUTY_EVENT)
                    // what /priority removes: a person's command, not a breach
                    .emits(ActionPriority.ROUTINE, ActionType.REMOVE_LABEL)
                    .build();

    /**
     * Keeps the uid of the CI retry planner it was split from: its state (the workflow's failed
     * jobs, failed SHAs and recent runs) is that planner's.
     */
    public static final Rule<GitHubEvent> CI_CLASSIFIER =
            Rule.builder("ci-retry-planner", CiFailureClassifierFunction.RULE, CI_COMPLETIONS)
                    .name("ci-failure-classifier")
                    .function(CiFailureClassifierFunction::new)
                    .events(
                            "workflow_run",
                            "workflow_job",
                            "check_run",
                            CiFailureClassifierFunction.LOG_READ.wireName())
                    .fields(
                            "/workflow_run/id",
                            "/workflow_run/head_branch",
                            "/workflow_job/id",
                            "/enrichment",
                            "/workflow_run/name",
                            "/workflow_run/head_sha",
                            "/workflow_run/conclusion",
                            "/workflow_run/run_attempt",
                            "/workflow_run/pull_requests/number",
                            "/workflow_job/run_id",
                            "/workflow_job/workflow_name",
                            "/workflow_job/name",
                            "/workflow_job/conclusion",
                            "/workflow_job/steps/name",
                            "/workflow_job/steps/conclusion",
                            "/check_run/name",
                            "/check_run/head_sha",
                            "/check_run/conclusion",
                            "/check_run/output/title",
                            "/check_run/output/summary",
                            "/check_run/output/text",
                            "/check_run/app/slug")
                    .output(CiFailure.TAG)
                    .signals(CiFailureClassifierFunction.SIGNALS)
                    .policySection("ci")
                    .emits(
                            ActionPriority.ROUTINE,
                            ActionType.CREATE_COMMENT,
                            ActionType.ADD_LABELS,
                            CiFailureClassifierFunction.LOG_READ)
                    .build();

    /** Re-runs what the classifier found worth re-running: reads its failed runs, no events. */
    public static final Rule<CiFailure> CI_RETRY =
            Rule.builder(
                            "ci-retry",
                            CiRetryPlanner.RETRY_RULE,
                            RuleInput.consumes(
                                    CI_CLASSIFIER.uid(),
                                    CiFailure.TAG,
                                    new CiFailure.Key(),
                                    "owner/repo|workflow"))
                    .function(CiRetryPlanner::new)
                    .events("workflow_run")
                    .policySection("ci")
                    .command(CiCommands.RETEST)
                    .emits(ActionPriority.RERUN, ActionType.RERUN_FAILED_JOBS)
                    .build();

    /**
     * Stale, rotten, closed after inactivity; items waiting for their author closed when no answer
     * comes (section {@code lifecycle:}, off unless present).
     */
    public static final Rule<GitHubEvent> LIFECYCLE =
            Rule.builder("lifecycle", LifecycleFunction.RULE, ITEM_EVENTS)
                    .function(LifecycleFunction::new)
                    .events(ITEM_ACTIVITY)
                    .fields(ITEM_NUMBER)
                    .fields(
                            "/issue/state",
                            "/pull_request/state",
                            "/issue/labels/name",
                            "/pull_request/labels/name",
                            "/issue/user/login",
                            "/pull_request/user/login",
                            "/issue/assignees/login",
                            "/pull_request/assignees/login",
                            "/issue/milestone/title",
                            "/pull_request/milestone/title",
                            "/issue/draft",
                            "/pull_request/draft",
                            "/label/name",
                            "/sender/login",
                            "/sender/type",
                            "/comment/user/login",
                            "/comment/user/type",
                            "/review/user/login",
                            "/review/user/type")
                    .signals(LifecycleFunction.SIGNALS)
                    .policySection("lifecycle")
                    .command(LifecycleCommands.REMOVE_LIFECYCLE, LifecycleCommands.REOPEN)
                    .emits(
                            ActionPriority.ROUTINE,
                            ActionType.ADD_LABELS,
                            ActionType.REMOVE_LABEL,
                            ActionType.CREATE_COMMENT,
                            ActionType.CLOSE_ISSUE,
                            ActionType.REOPEN_ISSUE)
                    .build();

    /**
     * The job's one slash-command framework: parses comments, has the commenter's permission read
     * (a read action, answered by an enrichment event for the same item), and routes each command
     * to the rule that declares it ({@link Rule#slashCommands()}). Its own actions are the read and
     * the one reply to commands not done; the commands' actions are their rules'.
     */
    public static final Rule<GitHubEvent> SLASH_COMMANDS =
            Rule.builder("slash-commands", SlashCommandFunction.RULE, COMMAND_EVENTS)
                    .function(() -> new SlashCommandFunction(CommandRegistry.of(Rules.REGISTERED)))
                    .events(
                            "issue_comment",
                            SlashCommandFunction.PERMISSION_READ.wireName(),
                            "workflow_run")
                    .fields(ITEM_NUMBER)
                    .fields(
                            "/comment/id",
                            "/comment/body",
                            "/comment/user/login",
                            "/comment/user/type",
                            "/issue/user/login",
                            // where an author may run a command (what lifecycle closed), and
                            // the priority labels /priority swaps
                            "/issue/labels/name",
                            // present on a pull request's comments: /cc is for pull requests
                            "/issue/pull_request/url",
                            // a pull request's latest runs, for /retest
                            "/workflow_run/id",
                            "/workflow_run/name",
                            "/workflow_run/conclusion",
                            "/workflow_run/run_attempt",
                            "/workflow_run/pull_requests/number",
                            "/enrichment")
                    .policySection("commands")
                    .command(HelpCommand.HELP)
                    .emits(
                            ActionPriority.ROUTINE,
                            SlashCommandFunction.PERMISSION_READ,
                            ActionType.CREATE_COMMENT)
                    .build();

    /** Pull requests, reviews and what CI said about commits, keyed by repository. */
    public static final RuleInput<GitHubEvent> MERGE_EVENTS =
            RuleInput.events(
                    "merge-events", new MergeEvents(), new MergeEvents.Key(), "owner/repo");

    /**
     * Whether each pull request may be merged (section {@code merge_queue:}): one check run per
     * change of its verdict, and the merge of an eligible one that carries the label.
     */
    public static final Rule<GitHubEvent> MERGE_ELIGIBILITY =
            Rule.builder("merge-eligibility", MergeEligibilityFunction.RULE, MERGE_EVENTS)
                    .function(MergeEligibilityFunction::new)
                    .events(MergeEvents.TYPES.toArray(String[]::new))
                    .fields(
                            "/pull_request/number",
                            "/pull_request/state",
                            "/pull_request/base/ref",
                            "/pull_request/head/sha",
                            "/pull_request/draft",
                            "/pull_request/mergeable",
                            "/pull_request/labels/name",
                            "/pull_request/additions",
                            "/pull_request/deletions",
                            "/review/id",
                            "/review/state",
                            "/review/user/login",
                            "/check_run/name",
                            "/check_run/head_sha",
                            "/check_run/status",
                            "/check_run/conclusion",
                            "/check_run/output/title",
                            "/check_run/output/summary",
                            "/check_run/check_suite/id",
                            "/check_suite/id",
                            "/check_suite/head_sha",
                            "/sha",
                            "/state",
                            "/context",
                            "/description",
                            "/workflow_run/name",
                            "/workflow_run/head_sha",
                            "/workflow_run/status",
                            "/workflow_run/conclusion",
                            // the audit records of its merges (AuditFeedback)
                            "/audit/audit_id",
                            "/audit/action_id",
                            "/audit/action_type",
                            "/audit/outcome",
                            "/audit/github_status",
                            "/audit/error",
                            "/audit/target")
                    .output(MergeEligibilityFunction.ELIGIBILITY)
                    .output(MergeEligibilityFunction.QUEUE_EVENTS)
                    .policySection("merge_queue")
                    .emits(
                            ActionPriority.ROUTINE,
                            ActionType.CREATE_CHECK_RUN,
                            ActionType.MERGE_PULL_REQUEST)
                    .learnsFromItsAudits(ActionType.MERGE_PULL_REQUEST)
                    .build();

    /** Pull requests, pushes, what CI said about commits and issues, keyed by repository. */
    public static final RuleInput<GitHubEvent> COMPLETION_EVENTS =
            RuleInput.events(
                    "completion-events",
                    new CompletionEvents(),
                    new CompletionEvents.Key(),
                    "owner/repo");

    /**
     * Closes issues whose linked work has landed, with the evidence, or labels them as likely done
     * (section {@code completion:}, off unless present); completes polled pushes with {@code
     * read_compare}.
     */
    public static final Rule<GitHubEvent> COMPLETION =
            Rule.builder("completion", CompletionFunction.RULE, COMPLETION_EVENTS)
                    .function(CompletionFunction::new)
                    .events(CompletionEvents.TYPES.toArray(String[]::new))
                    .fields(
                            "/pull_request/number",
                            "/pull_request/title",
                            "/pull_request/body",
                            "/pull_request/state",
                            "/pull_request/merged",
                            "/pull_request/merge_commit_sha",
                            "/pull_request/head/ref",
                            "/pull_request/base/ref",
                            "/ref",
                            "/before",
                            "/after",
                            "/deleted",
                            "/repository/default_branch",
                            "/commits/id",
                            "/commits/message",
                            "/commits/added",
                            "/commits/modified",
                            "/commits/removed",
                            "/check_suite/head_sha",
                            "/check_suite/conclusion",
                            "/sha",
                            "/state",
                            "/workflow_run/head_sha",
                            "/workflow_run/conclusion",
                            "/issue/number",
                            "/issue/labels/name",
                            "/issue/pull_request/url",
                            "/comment/id",
                            "/comment/body",
                            "/comment/author_association",
                            "/comment/user/login",
                            "/enrichment")
                    .policySection("completion")
                    .emits(
                            ActionPriority.ROUTINE,
                            ActionType.ADD_LABELS,
                            ActionType.CREATE_COMMENT,
                            ActionType.CLOSE_ISSUE,
                            CompletionFunction.COMPARE)
                    .build();

    /**
     * Events about people's work, keyed by installation ({@code installation:<id>}, or {@code
     * account:<owner>} without one): a person's open work, cap and response time are theirs across
     * the repositories of an installation.
     */
    public static final RuleInput<GitHubEvent> ROUTING_EVENTS =
            RuleInput.events(
                    "routing-events",
                    new RoutingEvents(),
                    new RoutingEvents.Key(),
                    "installation:<id>");

    /**
     * Assignees for triaged issues and reviewers for new and ready pull requests, chosen by score
     * (section {@code routing:}, off unless present); reads CODEOWNERS with {@code read_file}.
     */
    public static final Rule<GitHubEvent> ROUTING =
            Rule.builder("routing", RoutingFunction.RULE, ROUTING_EVENTS)
                    .function(RoutingFunction::new)
                    .events(
                            "issues",
                            "pull_request",
                            "pull_request_review",
                            "issue_comment",
                            "push",
                            RoutingFunction.FILE_READ.wireName())
                    .fields(ITEM_NUMBER)
                    .fields(
                            "/issue/state",
                            "/issue/user/login",
                            "/issue/labels/name",
                            "/issue/assignees/login",
                            "/pull_request/user/login",
                            "/pull_request/user/type",
                            "/pull_request/labels/name",
                            "/pull_request/draft",
                            "/pull_request/merged",
                            "/pull_request/title",
                            "/pull_request/requested_reviewers/login",
                            "/assignee/login",
                            "/assignee/type",
                            "/requested_reviewer/login",
                            "/requested_reviewer/type",
                            "/review/user/login",
                            "/review/user/type",
                            "/comment/user/login",
                            "/comment/user/type",
                            "/repository/default_branch",
                            "/ref",
                            "/after",
                            "/commits/author/username",
                            "/commits/added",
                            "/commits/modified",
                            "/commits/removed",
                            "/enrichment")
                    // the SLA rule's warnings: reassign when the one chosen has not answered
                    .alsoReads(SLA.uid(), SlaDeadlineFunction.WARNINGS)
                    .fields("/sla_warning/due")
                    .policySection("routing")
                    .emits(
                            ActionPriority.ROUTINE,
                            RoutingFunction.FILE_READ,
                            ActionType.ADD_ASSIGNEES,
                            ActionType.REQUEST_REVIEWERS,
                            ActionType.REMOVE_ASSIGNEES,
                            ActionType.CREATE_COMMENT)
                    .build();

    /** A repository's activity and what says which branches may go, keyed by repository. */
    public static final RuleInput<GitHubEvent> MAINTENANCE_EVENTS =
            RuleInput.events(
                    "maintenance-events",
                    new MaintenanceEvents(),
                    new MaintenanceEvents.Key(),
                    "owner/repo");

    /**
     * Learns each repository's quietest hours and runs the enabled maintenance tasks in them
     * (section {@code maintenance:}, off unless present; each task off unless enabled).
     */
    public static final Rule<GitHubEvent> MAINTENANCE =
            Rule.builder("maintenance", MaintenanceFunction.RULE, MAINTENANCE_EVENTS)
                    .function(MaintenanceFunction::new)
                    .events(MaintenanceEvents.TYPES.toArray(String[]::new))
                    .fields(
                            "/sender/login",
                            "/sender/type",
                            "/repository/default_branch",
                            "/pull_request/number",
                            "/pull_request/state",
                            "/pull_request/merged",
                            "/pull_request/head/ref",
                            "/pull_request/head/sha",
                            "/pull_request/head/repo/full_name",
                            "/pull_request/base/ref",
                            "/ref",
                            "/ref_type",
                            "/after",
                            "/deleted")
                    .signals(MaintenanceFunction.SIGNALS)
                    .policySection("maintenance")
                    .emits(ActionPriority.ROUTINE, ActionType.DELETE_REF)
                    .build();

    /**
     * Policies from the repositories' own {@code .github/repostream.yml} (over the owner's defaults
     * in its {@code .github} repository), read with {@code read_file} on a push that changes the
     * file and on installation, checked as {@code policy check} checks a file, narrowed by the
     * job's ceilings and written to {@code github.config.v1}. Runs for every repository: it is how
     * a repository's policy is made, so it has no policy section.
     */
    public static final Rule<GitHubEvent> REPO_CONFIG =
            Rule.builder(
                            RepoConfigFunction.RULE,
                            RepoConfigFunction.PRODUCED_BY,
                            RuleInput.events(
                                    "repo-config-events",
                                    new RepoConfigEvents(),
                                    new RepoConfigEvents.Key(),
                                    "owner:<login>"))
                    .function(RepoConfigFunction::new)
                    .events(
                            "push",
                            "installation",
                            "installation_repositories",
                            "pull_request",
                            RepoConfigFunction.FILE_READ.wireName())
                    .fields(
                            "/ref",
                            "/repository/default_branch",
                            "/commits/added",
                            "/commits/modified",
                            "/commits/removed",
                            "/installation/account/login",
                            "/repositories/full_name",
                            "/repositories_added/full_name",
                            "/pull_request/number",
                            "/pull_request/head/sha",
                            "/pull_request/base/ref",
                            "/enrichment")
                    .output(RepoConfigFunction.POLICIES)
                    .alwaysOn()
                    .emits(
                            ActionPriority.ROUTINE,
                            RepoConfigFunction.FILE_READ,
                            RepoConfigFunction.CHECK_RUN)
                    .build();

    /**
     * Pull requests, pushes and what CI said on candidate branches, keyed by repository and base
     * branch.
     */
    public static final RuleInput<GitHubEvent> MERGE_QUEUE_EVENTS =
            RuleInput.events(
                    "merge-queue-events",
                    new MergeQueueEvents(),
                    new MergeQueueEvents.Key(),
                    "owner/repo|base");

    /**
     * The merge queue of each base branch whose {@code merge_queue:} entry says {@code queue:
     * true}: candidates tested in batches, bisected when they fail, rerun once when they fail only
     * on flaky or transient checks, landed when green.
     */
    public static final Rule<GitHubEvent> MERGE_QUEUE =
            Rule.builder("merge-queue", MergeQueueFunction.RULE, MERGE_QUEUE_EVENTS)
                    .function(MergeQueueFunction::new)
                    .events(MergeQueueEvents.TYPES.toArray(String[]::new))
                    .fields(
                            "/pull_request/number",
                            "/pull_request/base/ref",
                            "/pull_request/base/sha",
                            "/pull_request/head/sha",
                            "/pull_request/merged",
                            "/ref",
                            "/after",
                            "/deleted",
                            "/check_run/name",
                            "/check_run/head_sha",
                            "/check_run/status",
                            "/check_run/conclusion",
                            "/check_run/output/title",
                            "/check_run/output/summary",
                            "/check_run/check_suite/head_branch",
                            "/sha",
                            "/state",
                            "/context",
                            "/description",
                            "/branches/name",
                            "/workflow_run/id",
                            "/workflow_run/name",
                            "/workflow_run/head_sha",
                            "/workflow_run/head_branch",
                            "/workflow_run/status",
                            "/workflow_run/conclusion",
                            // the audit records of its steps (AuditFeedback)
                            "/audit/action_id",
                            "/audit/action_type",
                            "/audit/outcome",
                            "/audit/github_status",
                            "/audit/after/head_sha")
                    .alsoReads(MERGE_ELIGIBILITY.uid(), MergeEligibilityFunction.QUEUE_EVENTS)
                    .output(MergeQueueFunction.STATES)
                    .policySection("merge_queue")
                    .command(MergeCommands.MERGE, MergeCommands.HOLD, MergeCommands.UNHOLD)
                    .emits(
                            ActionPriority.ROUTINE,
                            ActionType.ADD_LABELS,
                            ActionType.REMOVE_LABEL,
                            ActionType.CREATE_REF,
                            ActionType.MERGE_BRANCH,
                            ActionType.UPDATE_REF,
                            ActionType.DELETE_REF,
                            ActionType.MERGE_PULL_REQUEST,
                            ActionType.CREATE_COMMENT)
                    .emits(ActionPriority.RERUN, ActionType.RERUN_FAILED_JOBS)
                    .learnsFromItsAudits(
                            ActionType.CREATE_REF,
                            ActionType.MERGE_BRANCH,
                            ActionType.UPDATE_REF,
                            ActionType.MERGE_PULL_REQUEST)
                    .build();

    /** Every rule the job runs, in build order. */
    public static final List<Rule<?>> REGISTERED =
            List.of(
                    TRIAGE,
                    SLA,
                    CI_CLASSIFIER,
                    CI_RETRY,
                    LIFECYCLE,
                    SLASH_COMMANDS,
                    MERGE_ELIGIBILITY,
                    ROUTING,
                    COMPLETION,
                    MAINTENANCE,
                    REPO_CONFIG,
                    MERGE_QUEUE);

    /**
     * The predictor's actions ({@link CiSuccessPredictor#PRODUCED_BY}): it reads built features and
     * models rather than events, so {@code PredictionPipeline} wires it, not the rule loop.
     */
    static final Map<ActionType, ActionPriority> PREDICTOR_ACTIONS =
            Map.of(ActionType.ADD_LABELS, ActionPriority.ROUTINE);

    /** Priorities by producer (produced_by without its version), then action type. */
    private static final Map<String, Map<ActionType, ActionPriority>> PRIORITIES = priorities();

    /**
     * The priority the producing rule declares for the action's type. The rule is found by the name
     * in the action's {@code produced_by} (its version left out, so actions written by an earlier
     * version keep their priority). Actions of producers the job does not know (other jobs,
     * hand-made tests) or of a type their rule does not declare get {@link ActionPriority#RERUN}
     * for re-runs and {@link ActionPriority#ROUTINE} otherwise.
     */
    public static ActionPriority priorityOf(ActionRecord action) {
        return priorityOf(action, PRIORITIES);
    }

    static ActionPriority priorityOf(
            ActionRecord action, Map<String, Map<ActionType, ActionPriority>> priorities) {
        String producedBy = action.producedBy();
        int at = producedBy.indexOf('@');
        Map<ActionType, ActionPriority> declared =
                priorities.get(at < 0 ? producedBy : producedBy.substring(0, at));
        ActionPriority priority = declared == null ? null : declared.get(action.type());
        if (priority != null) {
            return priority;
        }
        return action.type() == ActionType.RERUN_FAILED_JOBS
                        || action.type() == ActionType.RERUN_WORKFLOW
                ? ActionPriority.RERUN
                : ActionPriority.ROUTINE;
    }

    /** The priorities {@code rules} declare, by producer and action type. */
    static Map<String, Map<ActionType, ActionPriority>> priorities(List<Rule<?>> rules) {
        Map<String, Map<ActionType, ActionPriority>> m = new HashMap<>();
        for (Rule<?> rule : rules) {
            m.merge(rule.producer(), rule.actions(), Rules::both);
        }
        return m;
    }

    private static Map<String, Map<ActionType, ActionPriority>> priorities() {
        Map<String, Map<ActionType, ActionPriority>> m = priorities(REGISTERED);
        String predictor = CiSuccessPredictor.PRODUCED_BY;
        m.put(predictor.substring(0, predictor.indexOf('@')), PREDICTOR_ACTIONS);
        return Map.copyOf(m);
    }

    private static Map<ActionType, ActionPriority> both(
            Map<ActionType, ActionPriority> a, Map<ActionType, ActionPriority> b) {
        Map<ActionType, ActionPriority> m = new HashMap<>(a);
        m.putAll(b);
        return Map.copyOf(m);
    }
}

package io.repostream.flink.rules.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.rules.AuditFeedback;
import io.repostream.flink.rules.GitHubPayloads;
import io.repostream.flink.rules.PolicyAwareFunction;
import io.repostream.flink.rules.merge.CheckReports.Report;
import io.repostream.flink.rules.merge.Eligibility.Verdict;
import io.repostream.flink.rules.merge.PullRequestState.Review;
import io.repostream.flink.serialization.WireTypes;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.MergeEligibility;
import io.repostream.schemas.MergeQueue;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.TypedTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Rule {@code merge-eligibility@1}: whether each open pull request may be merged into its base,
 * under the base branch's settings in the policy's {@code merge_queue:} section; says why on the
 * pull request with one check run ({@code repostream/merge}) each time the verdict changes for its
 * head commit, and asks for the merge of an eligible one, once per head commit.
 *
 * <p>Keyed by repository ({@link MergeEvents}): per pull request, its latest snapshot (base, head,
 * draft, mergeable, labels, size) and each reviewer's latest review; per commit, the latest report
 * of each check (check runs, check suites, commit statuses, workflow runs). A new head commit
 * starts the checks over; reviews stay, as on GitHub. Every verdict change also leaves on the side
 * output {@link #ELIGIBILITY} for the queue-state topic.
 *
 * <p>The rule learns from the audit records of its own merges ({@code learnsFromItsAudits}, events
 * of type {@code audit}): a merge GitHub refused (409 the head moved, 405 not mergeable, 422
 * invalid) or the job never sent is said once on the check run, with the reason, and is not asked
 * again at that head; when the head moved, the merge pinned to it is forgotten. A new head starts
 * over.
 *
 * <p>A pull request is reported on while it carries its branch's label (and once more when the
 * label goes away): each report is a write on GitHub, paid from the installation's budget, and a
 * pull request that has not asked to be merged gets none.
 */
public final class MergeEligibilityFunction extends PolicyAwareFunction<GitHubEvent, ActionRecord> {
    private static final long serialVersionUID = 1L;

    public static final String RULE = "merge-eligibility@1";

    /** The check run that says why: also the name whose own events the rule ignores. */
    public static final String CHECK_NAME = "repostream/merge";

    /** Every change of a pull request's verdict, for the queue-state topic. */
    public static final OutputTag<MergeEligibility> ELIGIBILITY =
            new OutputTag<>("merge-eligibility") {};

    /**
     * Every change of the verdict of a pull request whose base branch has {@code queue: true}, as
     * an internal event ({@link #QUEUE_EVENT}) for the merge queue rule, which reads it beside its
     * own events ({@code Rule.Builder#alsoReads}).
     */
    public static final OutputTag<GitHubEvent> QUEUE_EVENTS =
            new OutputTag<>("merge-eligibility-for-the-queue", WireTypes.GITHUB_EVENT);

    /** The type of the events on {@link #QUEUE_EVENTS}; no GitHub webhook has this name. */
    public static final String QUEUE_EVENT = "merge_eligibility";

    /** Garbage collection of pull requests whose close never arrives; not a business rule. */
    private static final Duration PR_RETENTION = Duration.ofDays(30);

    /** Garbage collection of reports on commits no tracked pull request has as its head. */
    private static final Duration CHECK_RETENTION = Duration.ofDays(7);

    private transient MapState<Long, String> pulls;
    private transient MapState<String, String> checks;
    private transient MapState<String, String> heads;
    private transient Counter reports;
    private transient Counter mergesRequested;
    private transient Counter becameEligible;
    private transient Map<MergeRefusal, Counter> refusalsLearned;
    private transient Counter auditsIgnored;

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        MapStateDescriptor<Long, String> pr =
                new MapStateDescriptor<>("pull-requests", Types.LONG, Types.STRING);
        pr.enableTimeToLive(StateTtlConfig.newBuilder(PR_RETENTION).build());
        pulls = getRuntimeContext().getMapState(pr);
        MapStateDescriptor<String, String> c =
                new MapStateDescriptor<>("check-reports", Types.STRING, Types.STRING);
        c.enableTimeToLive(StateTtlConfig.newBuilder(CHECK_RETENTION).build());
        checks = getRuntimeContext().getMapState(c);
        MapStateDescriptor<String, String> h =
                new MapStateDescriptor<>("pull-requests-by-head", Types.STRING, Types.STRING);
        h.enableTimeToLive(StateTtlConfig.newBuilder(PR_RETENTION).build());
        heads = getRuntimeContext().getMapState(h);
        var metrics = getRuntimeContext().getMetricGroup();
        reports = metrics.counter("mergeEligibilityReports");
        mergesRequested = metrics.counter("mergesRequested");
        becameEligible = metrics.counter("pullRequestsBecameEligible");
        refusalsLearned = new EnumMap<>(MergeRefusal.class);
        for (MergeRefusal refusal : MergeRefusal.values()) {
            refusalsLearned.put(
                    refusal,
                    metrics.addGroup("reason", refusal.label()).counter("mergeRefusalsLearned"));
        }
        auditsIgnored = metrics.counter("mergeAuditsIgnored");
    }

    @Override
    public void processElement(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        if (AuditFeedback.isAudit(event)) {
            onMergeAudit(event, ctx, out);
            return;
        }
        long at = event.occurredAt().toEpochMilli();
        JsonNode p = event.payload();
        switch (event.type()) {
            case "pull_request" -> onPullRequest(event, ctx, out);
            case "pull_request_review" -> onReview(event, ctx, out);
            case "check_run" -> {
                JsonNode run = p.path("check_run");
                String name = run.path("name").asText("");
                if (name.isEmpty() || name.equals(CHECK_NAME)) {
                    return;
                }
                boolean done = "completed".equals(run.path("status").asText());
                String conclusion = run.path("conclusion").asText(null);
                String text =
                        run.path("output").path("title").asText("")
                                + "\n"
                                + run.path("output").path("summary").asText("");
                report(
                        event,
                        run.path("head_sha").asText(""),
                        new Report(
                                "check_run",
                                name,
                                CheckReports.outcome(done, conclusion),
                                done ? conclusion : run.path("status").asText("queued"),
                                text,
                                run.path("check_suite").path("id").asLong(0),
                                at),
                        ctx,
                        out);
            }
            case "check_suite" -> {
                String action = event.action() == null ? "" : event.action();
                if (!action.equals("requested") && !action.equals("rerequested")) {
                    return;
                }
                JsonNode suite = p.path("check_suite");
                String sha = sha(suite.path("head_sha").asText(""));
                if (sha == null) {
                    return;
                }
                CheckReports held = MergeStateCodec.read(checks.get(sha), CheckReports.class);
                if (held != null && held.rerequested(suite.path("id").asLong(0), at)) {
                    checks.put(sha, MergeStateCodec.write(held));
                    evaluateHead(event, sha, ctx, out);
                }
            }
            case "status" -> {
                String state = p.path("state").asText("");
                report(
                        event,
                        p.path("sha").asText(""),
                        new Report(
                                "status",
                                p.path("context").asText(""),
                                CheckReports.outcome(!state.equals("pending"), state),
                                state,
                                p.path("description").asText(""),
                                0,
                                at),
                        ctx,
                        out);
            }
            case "workflow_run" -> {
                JsonNode run = p.path("workflow_run");
                boolean done = "completed".equals(run.path("status").asText());
                String conclusion = run.path("conclusion").asText(null);
                report(
                        event,
                        run.path("head_sha").asText(""),
                        new Report(
                                "workflow_run",
                                run.path("name").asText(""),
                                CheckReports.outcome(done, conclusion),
                                done ? conclusion : run.path("status").asText("queued"),
                                null,
                                0,
                                at),
                        ctx,
                        out);
            }
            default -> {}
        }
    }

    private void report(
            GitHubEvent event,
            String rawSha,
            Report report,
            ReadOnlyContext ctx,
            Collector<ActionRecord> out)
            throws Exception {
        String sha = sha(rawSha);
        if (sha == null || report.name().isEmpty()) {
            return;
        }
        CheckReports held = MergeStateCodec.read(checks.get(sha), CheckReports.class);
        if (held == null) {
            held = new CheckReports();
        }
        if (held.record(report)) {
            checks.put(sha, MergeStateCodec.write(held));
            evaluateHead(event, sha, ctx, out);
        }
    }

    private void evaluateHead(
            GitHubEvent event, String sha, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        for (long number : numbers(heads.get(sha))) {
            PullRequestState pr = MergeStateCodec.read(pulls.get(number), PullRequestState.class);
            if (pr != null && sha.equals(pr.headSha)) {
                evaluate(event, pr, ctx, out);
            }
        }
    }

    private void onPullRequest(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        long number = GitHubPayloads.itemNumber(event).orElse(0);
        if (number <= 0) {
            return;
        }
        if ("closed".equals(event.action())) {
            forget(number);
            return;
        }
        PullRequestState pr = snapshot(event, number);
        if (pr != null) {
            evaluate(event, pr, ctx, out);
        }
    }

    private void onReview(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        long number = GitHubPayloads.itemNumber(event).orElse(0);
        if (number <= 0
                || !"open"
                        .equals(
                                event.payload()
                                        .path("pull_request")
                                        .path("state")
                                        .asText("open"))) {
            return;
        }
        PullRequestState pr = snapshot(event, number);
        if (pr == null) {
            return;
        }
        JsonNode review = event.payload().path("review");
        String login = review.path("user").path("login").asText("").toLowerCase(Locale.ROOT);
        String state = review.path("state").asText("").toLowerCase(Locale.ROOT);
        long id = review.path("id").asLong(0);
        long at = event.occurredAt().toEpochMilli();
        if (!login.isEmpty()) {
            Review held = pr.reviews.get(login);
            boolean newer = held == null || held.at() < at || (held.at() == at && held.id() <= id);
            if ("dismissed".equals(event.action()) || state.equals("dismissed")) {
                // a dismissed review no longer counts, and the reviewer's earlier ones are behind
                // it
                if (held != null && (held.id() == id || newer)) {
                    pr.reviews.remove(login);
                }
            } else if ((state.equals("approved") || state.equals("changes_requested")) && newer) {
                pr.reviews.put(login, new Review(id, state, at));
            }
            // a comment-only review changes nothing, as in GitHub's review decision
        }
        pulls.put(number, MergeStateCodec.write(pr));
        evaluate(event, pr, ctx, out);
    }

    /**
     * The pull request's state with the event's snapshot of it applied, unless an event of a later
     * time already gave one; null for a snapshot of a closed pull request.
     */
    private PullRequestState snapshot(GitHubEvent event, long number) throws Exception {
        JsonNode pull = event.payload().path("pull_request");
        PullRequestState pr = MergeStateCodec.read(pulls.get(number), PullRequestState.class);
        if (pr == null) {
            pr = new PullRequestState();
            pr.number = number;
        }
        if (event.installationId() != null) {
            pr.installationId = event.installationId();
        }
        long at = event.occurredAt().toEpochMilli();
        if (pull.isObject() && at >= pr.snapshotAt) {
            if ("closed".equals(pull.path("state").asText())) {
                return null;
            }
            pr.snapshotAt = at;
            String base = pull.path("base").path("ref").asText(null);
            pr.base = base == null ? pr.base : base;
            String head = sha(pull.path("head").path("sha").asText(""));
            if (head != null && !head.equals(pr.headSha)) {
                moveHead(pr, head);
            }
            pr.draft = pull.path("draft").asBoolean(false);
            JsonNode mergeable = pull.path("mergeable");
            pr.mergeable = mergeable.isBoolean() ? mergeable.asBoolean() : null;
            Optional<List<String>> labels = labelsOrSkip(event, RULE);
            if (labels.isPresent()) {
                pr.labels = List.copyOf(labels.get());
            }
            JsonNode added = pull.path("additions");
            JsonNode deleted = pull.path("deletions");
            pr.changedLines =
                    added.canConvertToInt() && deleted.canConvertToInt()
                            ? added.asInt() + deleted.asInt()
                            : pr.changedLines;
        }
        pulls.put(number, MergeStateCodec.write(pr));
        return pr;
    }

    /** A new head commit: the old one's reports go (unless another pull request has it). */
    private void moveHead(PullRequestState pr, String head) throws Exception {
        if (pr.headSha != null) {
            unindex(pr.headSha, pr.number);
        }
        pr.headSha = head;
        // a new head, a new try: what GitHub said of the old one's merge is behind it
        pr.mergeRefusedSha = null;
        pr.mergeRefusal = null;
        Set<Long> numbers = numbers(heads.get(head));
        numbers.add(pr.number);
        heads.put(head, join(numbers));
    }

    private void unindex(String sha, long number) throws Exception {
        Set<Long> numbers = numbers(heads.get(sha));
        numbers.remove(number);
        if (numbers.isEmpty()) {
            heads.remove(sha);
            checks.remove(sha);
        } else {
            heads.put(sha, join(numbers));
        }
    }

    /** The pull request's life ended (closed or merged): its state goes. */
    private void forget(long number) throws Exception {
        PullRequestState pr = MergeStateCodec.read(pulls.get(number), PullRequestState.class);
        if (pr != null && pr.headSha != null) {
            unindex(pr.headSha, number);
        }
        pulls.remove(number);
    }

    private void evaluate(
            GitHubEvent event,
            PullRequestState pr,
            ReadOnlyContext ctx,
            Collector<ActionRecord> out)
            throws Exception {
        if (pr.headSha == null) {
            return;
        }
        RepoPolicy policy = policy(ctx, event.repo());
        MergeQueue.Branch branch = Eligibility.branchOf(policy.mergeQueue(), pr.base);
        if (branch == null) {
            return;
        }
        CheckReports held = MergeStateCodec.read(checks.get(pr.headSha), CheckReports.class);
        Verdict verdict = Eligibility.judge(pr, held, branch);
        String key = verdict.key();
        if (key.equals(pr.verdictKey)) {
            return;
        }
        boolean wasEligible = pr.eligible;
        boolean labelled = verdict.labelled();
        if (labelled || pr.labelled) {
            pr.reports++;
            reports.inc();
            out.collect(checkRun(event, pr, verdict, policy));
        }
        ctx.output(
                ELIGIBILITY,
                new MergeEligibility(
                        event.repo(),
                        pr.base,
                        pr.number,
                        pr.headSha,
                        verdict.eligible(),
                        verdict.reasons(),
                        event.occurredAt()));
        if (branch.queue()) {
            ctx.output(QUEUE_EVENTS, queueEvent(event, pr, verdict, branch));
        }
        if (verdict.eligible() && !wasEligible) {
            becameEligible.inc();
        }
        pr.verdictKey = key;
        pr.eligible = verdict.eligible();
        pr.labelled = labelled;
        if (verdict.eligible()
                && !branch.queue()
                && !pr.headSha.equals(pr.mergeRequestedSha)
                && !pr.headSha.equals(pr.mergeRefusedSha)) {
            pr.mergeRequestedSha = pr.headSha;
            mergesRequested.inc();
            out.collect(merge(event, pr, branch, policy));
        }
        pulls.put(pr.number, MergeStateCodec.write(pr));
    }

    /**
     * The verdict as the queue reads it: {@code base}, {@code pull_request.number}, {@code
     * head_sha}, {@code eligible}, {@code emergency} (it carries the branch's {@code
     * priority_label}) and {@code reasons}; its id names the pull request, head and verdict, so the
     * same verdict read again is the same event.
     */
    static GitHubEvent queueEvent(
            GitHubEvent cause, PullRequestState pr, Verdict verdict, MergeQueue.Branch branch) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("base", pr.base);
        payload.putObject("pull_request").put("number", pr.number);
        payload.put("head_sha", pr.headSha);
        payload.put("eligible", verdict.eligible());
        payload.put(
                "emergency",
                pr.labels != null
                        && pr.labels.stream()
                                .anyMatch(l -> l.equalsIgnoreCase(branch.priorityLabel())));
        var reasons = payload.putArray("reasons");
        verdict.reasons().forEach(reasons::add);
        return new GitHubEvent(
                RULE
                        + ":"
                        + cause.repo()
                        + "#"
                        + pr.number
                        + ":"
                        + pr.headSha
                        + ":"
                        + cause.eventId(),
                EventSource.ENRICHMENT,
                QUEUE_EVENT,
                verdict.eligible() ? "eligible" : "ineligible",
                cause.repo(),
                null,
                pr.installationId == null ? cause.installationId() : pr.installationId,
                cause.occurredAt(),
                cause.receivedAt(),
                payload);
    }

    private static ActionRecord checkRun(
            GitHubEvent event, PullRequestState pr, Verdict verdict, RepoPolicy policy) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("name", CHECK_NAME);
        params.put("status", "completed");
        // action_required, not neutral: GitHub counts neutral as passing for a required check
        boolean refused = pr.headSha.equals(pr.mergeRefusedSha);
        params.put("conclusion", verdict.eligible() && !refused ? "success" : "action_required");
        params.put(
                "title",
                refused && verdict.eligible()
                        ? "Eligible, not merged (" + pr.mergeRefusal + ")"
                        : title(verdict));
        params.put(
                "summary",
                verdict.summary()
                        + (refused
                                ? "\n\nGitHub did not merge this commit ("
                                        + pr.mergeRefusal
                                        + "); a merge is asked again at the next head commit."
                                : ""));
        params.put("pull_number", pr.number);
        String item = event.repo() + "#" + pr.number;
        return new ActionRecord(
                        RULE + ":" + item + ":" + pr.headSha + ":report:" + pr.reports,
                        event.repo(),
                        pr.number,
                        ActionType.CREATE_CHECK_RUN,
                        params,
                        item
                                + (verdict.eligible()
                                        ? " is eligible to merge"
                                        : " is not eligible to merge: "
                                                + String.join("; ", verdict.reasons())),
                        List.of(
                                "event "
                                        + event.eventId()
                                        + ": "
                                        + event.qualifiedType()
                                        + " on head "
                                        + pr.headSha),
                        1.0,
                        RULE,
                        List.of(event.eventId()),
                        event.installationId(),
                        event.occurredAt(),
                        null,
                        null,
                        policy.dryRun())
                .withTypedTarget(TypedTarget.commit(pr.headSha));
    }

    private static String title(Verdict verdict) {
        if (verdict.eligible()) {
            return "Ready to merge";
        }
        List<String> unmet = new ArrayList<>();
        verdict.conditions().stream().filter(c -> !c.met()).forEach(c -> unmet.add(c.name()));
        return "Not ready: " + String.join(", ", unmet);
    }

    private static ActionRecord merge(
            GitHubEvent event, PullRequestState pr, MergeQueue.Branch branch, RepoPolicy policy) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("head_sha", pr.headSha);
        params.put("merge_method", branch.mergeMethod().wireName());
        String item = event.repo() + "#" + pr.number;
        return new ActionRecord(
                RULE + ":" + item + ":" + pr.headSha + ":merge",
                event.repo(),
                pr.number,
                ActionType.MERGE_PULL_REQUEST,
                params,
                item
                        + " meets every condition of merge_queue for base "
                        + pr.base
                        + " and carries `"
                        + branch.label()
                        + "`: merge ("
                        + branch.mergeMethod().wireName()
                        + ") at head "
                        + pr.headSha,
                List.of("event " + event.eventId() + ": " + event.qualifiedType()),
                1.0,
                RULE,
                List.of(event.eventId()),
                event.installationId(),
                event.occurredAt(),
                null,
                null,
                policy.dryRun());
    }

    /**
     * What the audit record of one of the rule's merges says ({@link AuditFeedback}). A merge
     * applied needs nothing (the pull request's {@code closed} event forgets it), nor does a
     * duplicate or a dry run. A refusal is learned once per head: the check run says why, no merge
     * is asked again at that head, and when the head moved the merge pinned to it is forgotten. An
     * audit about another head than the pull request's, or about a merge the rule is not waiting
     * for (an older audit, read again from the topic; a pull request it no longer tracks), is
     * counted and ignored.
     */
    private void onMergeAudit(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        JsonNode audit = event.payload().path(AuditFeedback.FIELD);
        MergeRefusal refusal = MergeRefusal.of(audit);
        if (refusal == null
                || !ActionType.MERGE_PULL_REQUEST
                        .wireName()
                        .equals(audit.path("action_type").asText())) {
            return;
        }
        long number = audit.path("target").asLong(0);
        String sha = mergedHead(audit.path("action_id").asText(""));
        PullRequestState pr =
                number > 0 ? MergeStateCodec.read(pulls.get(number), PullRequestState.class) : null;
        if (pr == null
                || sha == null
                || !sha.equals(pr.headSha)
                || sha.equals(pr.mergeRefusedSha)
                || !sha.equals(pr.mergeRequestedSha)) {
            auditsIgnored.inc();
            return;
        }
        pr.mergeRefusedSha = sha;
        pr.mergeRefusal = refusal.label();
        if (refusal == MergeRefusal.HEAD_MOVED) {
            pr.mergeRequestedSha = null;
        }
        refusalsLearned.get(refusal).inc();
        out.collect(refusalReport(event, pr, refusal, audit, policy(ctx, event.repo())));
        pulls.put(number, MergeStateCodec.write(pr));
    }

    /** The head SHA in the id of one of the rule's merges ({@code ...:<sha>:merge}), or null. */
    static String mergedHead(String actionId) {
        if (!actionId.startsWith(RULE + ":") || !actionId.endsWith(":merge")) {
            return null;
        }
        String rest = actionId.substring(0, actionId.length() - ":merge".length());
        return sha(rest.substring(rest.lastIndexOf(':') + 1));
    }

    private static ActionRecord refusalReport(
            GitHubEvent event,
            PullRequestState pr,
            MergeRefusal refusal,
            JsonNode audit,
            RepoPolicy policy) {
        String item = event.repo() + "#" + pr.number;
        String error = audit.path("error").asText("");
        String next =
                refusal == MergeRefusal.HEAD_MOVED
                        ? "The head of "
                                + item
                                + " is no longer this commit: the merge asked for it is"
                                + " forgotten, and the new head is judged when GitHub reports it."
                        : "repostream does not ask again at this commit; it asks again when "
                                + item
                                + " has a new head commit that is eligible.";
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("name", CHECK_NAME);
        params.put("status", "completed");
        params.put("conclusion", "action_required");
        params.put("title", refusal.title());
        params.put(
                "summary",
                "The merge of "
                        + item
                        + " at "
                        + pr.headSha
                        + " did not happen ("
                        + refusal.label()
                        + (audit.has("github_status")
                                ? ", GitHub answered " + audit.path("github_status").asInt()
                                : "")
                        + ")"
                        + (error.isEmpty() ? "" : ": " + error)
                        + "\n\n"
                        + next);
        params.put("pull_number", pr.number);
        return new ActionRecord(
                        RULE + ":" + item + ":" + pr.headSha + ":merge-refused",
                        event.repo(),
                        pr.number,
                        ActionType.CREATE_CHECK_RUN,
                        params,
                        item
                                + ": "
                                + refusal.title().toLowerCase(Locale.ROOT)
                                + " at "
                                + pr.headSha,
                        List.of(
                                "audit "
                                        + audit.path("audit_id").asText("")
                                        + ": "
                                        + audit.path("outcome").asText("")
                                        + " of "
                                        + audit.path("action_id").asText("")),
                        1.0,
                        RULE,
                        List.of(event.eventId()),
                        pr.installationId,
                        event.occurredAt(),
                        null,
                        null,
                        policy.dryRun())
                .withTypedTarget(TypedTarget.commit(pr.headSha));
    }

    /** A commit SHA in lowercase, or null when {@code raw} is not one. */
    private static String sha(String raw) {
        String s = raw.toLowerCase(Locale.ROOT);
        return s.matches("[0-9a-f]{40}") ? s : null;
    }

    private static Set<Long> numbers(String csv) {
        Set<Long> numbers = new LinkedHashSet<>();
        if (csv != null && !csv.isEmpty()) {
            for (String n : csv.split(",")) {
                numbers.add(Long.parseLong(n));
            }
        }
        return numbers;
    }

    private static String join(Set<Long> numbers) {
        StringBuilder s = new StringBuilder();
        for (long n : numbers) {
            if (!s.isEmpty()) {
                s.append(',');
            }
            s.append(n);
        }
        return s.toString();
    }
}

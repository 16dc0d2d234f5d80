package io.repostream.flink.rules.completion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.rules.GitHubPayloads;
import io.repostream.flink.rules.PolicyAwareFunction;
import io.repostream.flink.rules.completion.ClosingLinks.Link;
import io.repostream.flink.rules.completion.IssueTrail.Work;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.Completion;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.TypedTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule {@code completion@1} (policy section {@code completion:}), keyed by repository: closes
 * issues whose linked work has landed, with the evidence, or labels them for a person.
 *
 * <ul>
 *   <li>Links ({@link ClosingLinks}): closing keywords in a pull request's title and body and in
 *       pushed commit messages; weaker, {@code refs #12} and a branch named for the issue. A link
 *       to another repository counts only when it has the same owner (a GitHub App installation
 *       belongs to one account); others are logged and counted, not followed.
 *   <li>Landing: a linked pull request merged into a counted branch ({@code branches}, every branch
 *       when empty), or a linking commit pushed to a counted branch; with {@code branches} empty, a
 *       direct push counts on the default branch and on branches pull requests were merged into (a
 *       push to a feature branch is work in progress: its pull request's merge is what lands).
 *   <li>Evidence ({@link Assessment}), gathered until {@code decide_after} after the last landing
 *       (event time), then decided: close as completed with a comment listing the evidence, or
 *       label and comment, or nothing. A check reported later re-decides upwards only.
 * </ul>
 *
 * <p>An issue closed on GitHub (its {@code issues.closed} event) is forgotten and not acted on
 * until reopened; one this rule closed is forgotten at once (the executor's undo reopens it, and
 * the rule does not close it again for the same work). A polled push without its commit list is
 * completed with the compare API: the rule asks for {@code read_compare} of its {@code
 * before...after} and reads the answer's commits and files as the push's. A decision timer reads
 * only the issues decided at its time (an index by time), not every trail of the repository.
 */
public final class CompletionFunction extends PolicyAwareFunction<GitHubEvent, ActionRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CompletionFunction.class);

    public static final String RULE = "completion@1";

    /** Garbage collection for issues and commits whose end we never see; not a business rule. */
    private static final Duration STATE_RETENTION = Duration.ofDays(90);

    /** What a maintainer writes when the work did not fix the issue. */
    static final Pattern OBJECTION =
            Pattern.compile(
                    "\\b(not|isn'?t|wasn'?t|hasn'?t been|never) (really )?(fixed|resolved)\\b"
                            + "|\\bstill (broken|failing|fails|happening|happens|occurs|"
                            + "reproduces|an issue|a problem|see(ing)? (it|this|the))\\b"
                            + "|\\b(does not|doesn'?t|did not|didn'?t) (fix|resolve)\\b",
                    Pattern.CASE_INSENSITIVE);

    /** The read that completes a polled push. */
    public static final ActionType COMPARE = ActionType.READ_COMPARE;

    /** A {@code before} or {@code after} that names no commit (a new or deleted branch). */
    private static final Pattern NO_COMMIT = Pattern.compile("0{40}");

    private static final Set<String> MAINLINES = Set.of("main", "master");
    private static final Set<String> MAINTAINERS = Set.of("OWNER", "MEMBER", "COLLABORATOR");
    private static final Set<String> GREEN = Set.of("success", "neutral", "skipped");
    private static final Set<String> RED =
            Set.of("failure", "error", "timed_out", "action_required", "startup_failure");

    /** Issue ({@code owner/repo#12}) to its trail, as JSON. */
    private transient MapState<String, String> trails;

    /** Open pull request number to the issues it links, space-separated. */
    private transient MapState<Long, String> pulls;

    /** Commit SHA whose checks count to the issues whose work it is, space-separated. */
    private transient MapState<String, String> shas;

    /** Branch to what its pushes changed: {@code t} tests, {@code d} docs. */
    private transient MapState<String, String> branches;

    /** Branches pull requests were merged into, to the event time of the last such merge. */
    private transient MapState<String, Long> bases;

    /** Issues labelled as a feature. */
    private transient MapState<String, Boolean> features;

    /** Issues seen closed on GitHub, to when. */
    private transient MapState<String, Long> closedIssues;

    /**
     * Decision time (event time, epoch ms) to the issues decided then, space-separated: the index
     * that lets a timer touch only its own issues instead of reading every trail of the repository.
     */
    private transient MapState<Long, String> due;

    /**
     * Comparison reads asked for polled pushes, by action id, to {@code <branch> <event time of the
     * push>}: what the answer completes.
     */
    private transient MapState<String, String> compares;

    private transient Counter links;
    private transient Counter linksIgnored;
    private transient Counter closed;
    private transient Counter suggested;
    private transient Counter leftAlone;
    private transient Counter pushesWithoutCommits;
    private transient Counter pushesCompleted;
    private transient Counter comparesFailed;

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        trails = map("completion-trails", Types.STRING, Types.STRING);
        pulls = map("completion-pulls", Types.LONG, Types.STRING);
        shas = map("completion-shas", Types.STRING, Types.STRING);
        branches = map("completion-branches", Types.STRING, Types.STRING);
        bases = map("completion-bases", Types.STRING, Types.LONG);
        features = map("completion-features", Types.STRING, Types.BOOLEAN);
        closedIssues = map("completion-closed", Types.STRING, Types.LONG);
        due = map("completion-due", Types.LONG, Types.STRING);
        compares = map("completion-compares", Types.STRING, Types.STRING);
        var metrics = getRuntimeContext().getMetricGroup();
        links = metrics.counter("completionLinks");
        linksIgnored = metrics.counter("completionLinksIgnored");
        closed = metrics.counter("completionClosed");
        suggested = metrics.counter("completionSuggested");
        leftAlone = metrics.counter("completionLeftAlone");
        pushesWithoutCommits = metrics.counter("completionPushesWithoutCommits");
        pushesCompleted = metrics.counter("completionPushesCompleted");
        comparesFailed = metrics.counter("completionComparesFailed");
    }

    private <K, V> MapState<K, V> map(
            String name, TypeInformation<K> key, TypeInformation<V> value) {
        MapStateDescriptor<K, V> d = new MapStateDescriptor<>(name, key, value);
        d.enableTimeToLive(StateTtlConfig.newBuilder(STATE_RETENTION).build());
        return getRuntimeContext().getMapState(d);
    }

    @Override
    public void processElement(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        Completion c = policy(ctx, event.repo()).completion();
        if (event.source() == EventSource.ENRICHMENT) {
            if (COMPARE.wireName().equals(event.type())) {
                onCompare(event, c, ctx, out);
            }
            return;
        }
        switch (event.type()) {
            case "pull_request" -> onPullRequest(event, c, ctx, out);
            case "push" -> onPush(event, c, ctx, out);
            case "check_suite", "status", "workflow_run" -> onCheck(event, ctx, out);
            case "issues" -> onIssue(event, c, ctx);
            case "issue_comment" -> onComment(event, ctx);
            default -> {}
        }
    }

    private void onPullRequest(
            GitHubEvent event, Completion c, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        JsonNode pr = event.payload().path("pull_request");
        long number = pr.path("number").asLong();
        String head = pr.path("head").path("ref").asText("");
        String base = pr.path("base").path("ref").asText("");
        boolean closing = "closed".equals(event.action());
        if (!closing && !"open".equals(pr.path("state").asText("open"))) {
            return; // an edit of a closed pull request: its closing said what it did
        }
        List<Link> found =
                followed(
                        event,
                        ClosingLinks.merge(
                                ClosingLinks.merge(
                                        ClosingLinks.inText(
                                                pr.path("title").asText(""), event.repo()),
                                        ClosingLinks.inText(
                                                pr.path("body").asText(""), event.repo())),
                                ClosingLinks.inBranch(head, event.repo())));
        String workId = "#" + number;
        Set<String> now = new LinkedHashSet<>();
        found.forEach(l -> now.add(l.ref()));
        String before = pulls.get(number);
        if (before != null) {
            for (String ref : before.split(" ")) {
                if (!now.contains(ref)) { // the link was edited out
                    IssueTrail trail = load(ref);
                    if (trail != null) {
                        store(trail.without(workId), ctx);
                    }
                }
            }
        }
        boolean merged = closing && pr.path("merged").asBoolean(false);
        boolean lands = merged && counts(c, base);
        String flags = head.isEmpty() ? null : branches.get(head);
        long at = event.occurredAt().toEpochMilli();
        String sha = lands ? pr.path("merge_commit_sha").asText(null) : null;
        for (Link link : found) {
            IssueTrail trail = trail(link, event);
            if (trail == null) {
                continue;
            }
            Work had = trail.work(workId);
            Work work =
                    new Work(
                            workId,
                            link.form().wireName(),
                            base,
                            lands,
                            closing && !lands,
                            lands ? at : null,
                            sha,
                            null,
                            flags != null && flags.contains("t"),
                            flags != null && flags.contains("d"),
                            causes(had, event));
            trail = trail.with(work);
            if (lands) {
                trail = landed(trail, sha, at, c, ctx);
            }
            save(trail, ctx, out);
        }
        if (closing) {
            pulls.remove(number);
            if (merged) {
                bases.put(base, at);
                if (!head.isEmpty()) {
                    branches.remove(head);
                }
            }
            if (merged && !lands && !found.isEmpty()) {
                LOG.info(
                        "{}: {}#{} merged into {}, a branch completion.branches does not count:"
                                + " its links do not land",
                        RULE,
                        event.repo(),
                        number,
                        base);
            }
        } else if (now.isEmpty()) {
            pulls.remove(number);
        } else {
            pulls.put(number, String.join(" ", now));
        }
    }

    private void onPush(
            GitHubEvent event, Completion c, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        JsonNode p = event.payload();
        String ref = p.path("ref").asText("");
        if (!ref.startsWith("refs/heads/")) {
            return; // tags
        }
        String branch = ref.substring("refs/heads/".length());
        if (p.path("deleted").asBoolean(false)) {
            branches.remove(branch);
            return;
        }
        JsonNode commits = p.path("commits");
        if (!commits.isArray()) {
            pushesWithoutCommits.inc();
            askToCompare(event, branch, out);
            return;
        }
        pushed(event, branch, commits, p.path("after").asText(null), c, ctx, out);
    }

    /**
     * The commits of a push to {@code branch} (webhook-shaped: {@code id}, {@code message}, {@code
     * added}/{@code modified}/{@code removed}), ending at {@code after}, at the event time of
     * {@code cause}.
     */
    private void pushed(
            GitHubEvent cause,
            String branch,
            JsonNode commits,
            String after,
            Completion c,
            ReadOnlyContext ctx,
            Collector<ActionRecord> out)
            throws Exception {
        pushed(cause, branch, commits, after, cause.occurredAt().toEpochMilli(), c, ctx, out);
    }

    private void pushed(
            GitHubEvent cause,
            String branch,
            JsonNode commits,
            String after,
            long at,
            Completion c,
            ReadOnlyContext ctx,
            Collector<ActionRecord> out)
            throws Exception {
        boolean tests = false;
        boolean docs = false;
        for (JsonNode commit : commits) {
            for (String field : List.of("added", "modified", "removed")) {
                for (JsonNode path : commit.path(field)) {
                    tests |= Paths.isTest(path.asText());
                    docs |= Paths.isDocs(path.asText());
                }
            }
        }
        String had = branches.get(branch);
        String flags = (had == null ? "" : had) + (tests ? "t" : "") + (docs ? "d" : "");
        if (!flags.isEmpty()) {
            branches.put(branch, flags.contains("t") && flags.contains("d") ? "td" : flags);
        }
        if (!pushCounts(c, branch)) {
            return; // work in progress: its pull request's merge is what lands
        }
        for (JsonNode commit : commits) {
            String id = commit.path("id").asText("");
            if (id.isEmpty()) {
                continue;
            }
            List<Link> found =
                    followed(
                            cause,
                            ClosingLinks.inText(commit.path("message").asText(""), cause.repo()));
            for (Link link : found) {
                IssueTrail trail = trail(link, cause);
                if (trail == null) {
                    continue;
                }
                Work work =
                        new Work(
                                id,
                                link.form().wireName(),
                                branch,
                                true,
                                false,
                                at,
                                after,
                                null,
                                tests,
                                docs,
                                causes(trail.work(id), cause));
                save(landed(trail.with(work), after, at, c, ctx), ctx, out);
            }
        }
    }

    /**
     * A polled push came without its commit list: asks GitHub to compare its {@code before} and
     * {@code after} ({@code read_compare}), whose answer completes it ({@link #onCompare}). A new
     * branch ({@code before} all zeros) is compared with the repository's default branch.
     */
    private void askToCompare(GitHubEvent event, String branch, Collector<ActionRecord> out)
            throws Exception {
        JsonNode p = event.payload();
        String before = p.path("before").asText("");
        String after = p.path("after").asText("");
        if (NO_COMMIT.matcher(before).matches()) {
            before = p.path("repository").path("default_branch").asText("");
        }
        if (before.isEmpty() || after.isEmpty() || NO_COMMIT.matcher(after).matches()) {
            LOG.info(
                    "{}: push to {} of {} ({}) has no commit list and nothing to compare it by"
                            + " (before '{}', after '{}'): its links and paths are not read",
                    RULE,
                    branch,
                    event.repo(),
                    event.eventId(),
                    before,
                    after);
            return;
        }
        String id = RULE + ":" + event.repo() + ":compare:" + branch + ":" + before + "..." + after;
        compares.put(id, branch + " " + event.occurredAt().toEpochMilli());
        LOG.info(
                "{}: push to {} of {} ({}) has no commit list (a polled push): comparing {}...{}",
                RULE,
                branch,
                event.repo(),
                event.eventId(),
                before,
                after);
        TypedTarget ref = TypedTarget.ref("refs/heads/" + branch);
        out.collect(
                new ActionRecord(
                                id,
                                event.repo(),
                                ref.legacyTarget(),
                                COMPARE,
                                JsonNodeFactory.instance
                                        .objectNode()
                                        .put("base", before)
                                        .put("head", after),
                                "the push to "
                                        + branch
                                        + " of "
                                        + event.repo()
                                        + " came without its commits: read them to find the"
                                        + " issues they close",
                                List.of("event " + event.eventId() + ": push without commits"),
                                1.0,
                                RULE,
                                List.of(event.eventId()),
                                event.installationId(),
                                event.occurredAt(),
                                null,
                                null,
                                false)
                        .withTypedTarget(ref));
    }

    /** The answer to {@link #askToCompare}: the push's commits and changed files. */
    private void onCompare(
            GitHubEvent event, Completion c, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        JsonNode e = event.payload().path("enrichment");
        if (!RULE.equals(e.path("requested_by").asText())) {
            return;
        }
        String id = e.path("action_id").asText();
        String asked = compares.get(id);
        if (asked == null) {
            LOG.info("{}: {}: no comparison waits for {}", RULE, event.repo(), id);
            return;
        }
        compares.remove(id);
        String branch = asked.substring(0, asked.lastIndexOf(' '));
        long at = Long.parseLong(asked.substring(asked.lastIndexOf(' ') + 1));
        JsonNode result = e.path("result");
        if (!"read".equals(e.path("outcome").asText()) || !result.path("commits").isArray()) {
            comparesFailed.inc();
            LOG.warn(
                    "{}: comparing the polled push to {} of {} did not succeed ({} {} {}): its"
                            + " links and paths are not read",
                    RULE,
                    branch,
                    event.repo(),
                    e.path("outcome").asText(),
                    e.path("status").asText(""),
                    e.path("error").asText(""));
            return;
        }
        int listed = result.path("commits").size();
        if (result.path("total_commits").asInt(listed) > listed) {
            LOG.info(
                    "{}: the polled push to {} of {} has {} commits; GitHub listed the newest {}:"
                            + " the others' links are not read",
                    RULE,
                    branch,
                    event.repo(),
                    result.path("total_commits").asInt(),
                    listed);
        }
        // webhook-shaped commits; the comparison's files are the whole push's, put on the last
        ArrayNode commits = JsonNodeFactory.instance.arrayNode();
        for (JsonNode commit : result.path("commits")) {
            commits.addObject()
                    .put("id", commit.path("sha").asText(""))
                    .put("message", commit.path("message").asText(""));
        }
        if (!commits.isEmpty()) {
            ArrayNode modified =
                    ((ObjectNode) commits.get(commits.size() - 1)).putArray("modified");
            result.path("files").forEach(f -> modified.add(f.path("filename").asText("")));
        }
        pushesCompleted.inc();
        pushed(event, branch, commits, e.path("params").path("head").asText(null), at, c, ctx, out);
    }

    private void onCheck(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        JsonNode p = event.payload();
        String sha;
        String verdict;
        switch (event.type()) {
            case "check_suite" -> {
                sha = p.path("check_suite").path("head_sha").asText("");
                verdict = p.path("check_suite").path("conclusion").asText("");
            }
            case "workflow_run" -> {
                sha = p.path("workflow_run").path("head_sha").asText("");
                verdict = p.path("workflow_run").path("conclusion").asText("");
            }
            default -> {
                sha = p.path("sha").asText("");
                verdict = p.path("state").asText("");
            }
        }
        boolean green = GREEN.contains(verdict);
        if (sha.isEmpty() || (!green && !RED.contains(verdict))) {
            return; // pending, cancelled, stale: says nothing about the work
        }
        String refs = shas.get(sha);
        if (refs == null) {
            return;
        }
        for (String ref : refs.split(" ")) {
            IssueTrail trail = load(ref);
            if (trail == null) {
                continue;
            }
            for (Work w : trail.works()) {
                if (sha.equals(w.sha())) {
                    trail = trail.with(w.withChecks(green));
                }
            }
            save(trail, ctx, out);
        }
    }

    private void onIssue(GitHubEvent event, Completion c, ReadOnlyContext ctx) throws Exception {
        OptionalRef ref = OptionalRef.of(event);
        if (ref == null) {
            return;
        }
        switch (event.action() == null ? "" : event.action()) {
            case "closed" -> {
                closedIssues.put(ref.ref, event.occurredAt().toEpochMilli());
                forget(ref.ref, ctx);
            }
            case "reopened" -> closedIssues.remove(ref.ref);
            case "deleted", "transferred" -> {
                closedIssues.remove(ref.ref);
                forget(ref.ref, ctx);
            }
            default -> {
                Optional<List<String>> labels = GitHubPayloads.knownLabels(event);
                if (labels.isEmpty()) {
                    return; // unknown labels: what is known stays
                }
                if (c.isFeature(labels.get())) {
                    features.put(ref.ref, true);
                } else {
                    features.remove(ref.ref);
                }
            }
        }
    }

    private void onComment(GitHubEvent event, ReadOnlyContext ctx) throws Exception {
        JsonNode p = event.payload();
        if (!"created".equals(event.action()) || p.path("issue").has("pull_request")) {
            return;
        }
        OptionalRef ref = OptionalRef.of(event);
        IssueTrail trail = ref == null ? null : load(ref.ref);
        if (trail == null || trail.objection() != null) {
            return;
        }
        JsonNode comment = p.path("comment");
        Long landed = trail.firstLanded();
        long at = event.occurredAt().toEpochMilli();
        if (landed == null
                || at < landed
                || !MAINTAINERS.contains(comment.path("author_association").asText(""))
                || !OBJECTION.matcher(comment.path("body").asText("")).find()) {
            return;
        }
        String login = comment.path("user").path("login").asText("?");
        LOG.info("{}: @{} says {} is not fixed: no close", RULE, login, trail.ref());
        store(
                trail.withObjection(
                        "@"
                                + login
                                + " said it is not fixed on "
                                + Instant.ofEpochMilli(at)
                                + " (comment "
                                + comment.path("id").asText("?")
                                + ")"),
                ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActionRecord> out)
            throws Exception {
        Completion c = policy(ctx, ctx.getCurrentKey()).completion();
        for (IssueTrail trail : dueAt(timestamp)) {
            decide(trail.withDecided(IssueTrail.DECIDED), c, ctx, out, trail.decided() == null);
        }
    }

    /** The trails to decide at {@code timestamp}, taken out of the index. */
    private List<IssueTrail> dueAt(long timestamp) throws Exception {
        List<IssueTrail> found = new ArrayList<>();
        String refs = due.get(timestamp);
        if (refs == null) {
            // a timer of state written before the index (or of no issue any more): the old scan
            for (Map.Entry<String, String> e : trails.entries()) {
                IssueTrail trail = IssueTrail.fromJson(e.getValue());
                if (trail.decideAt() != null && trail.decideAt() == timestamp) {
                    found.add(trail);
                }
            }
            return found;
        }
        due.remove(timestamp);
        for (String ref : refs.split(" ")) {
            IssueTrail trail = load(ref);
            if (trail != null && trail.decideAt() != null && trail.decideAt() == timestamp) {
                found.add(trail);
            }
        }
        return found;
    }

    /**
     * Saves the trail; once its decision time has passed (it was decided), decides again with the
     * new evidence, upwards only.
     */
    private void save(IssueTrail trail, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        if (trail.decided() == null) {
            store(trail, ctx);
            return;
        }
        decide(trail, policy(ctx, ctx.getCurrentKey()).completion(), ctx, out, false);
    }

    /**
     * Closes, labels, or leaves the issue; {@code first} for the decision at {@code decideAt}
     * (later ones, on late evidence, only act when the issue passes a threshold it had not).
     */
    private void decide(
            IssueTrail trail,
            Completion c,
            ReadOnlyContext ctx,
            Collector<ActionRecord> out,
            boolean first)
            throws Exception {
        if (closedIssues.contains(trail.ref())) {
            forget(trail.ref(), ctx);
            return;
        }
        Assessment a = Assessment.of(trail, c, features.contains(trail.ref()));
        RepoPolicy policy = policy(ctx, trail.repo());
        Instant at = Instant.ofEpochMilli(trail.decideAt());
        if (a.reaches(c.closeAt())) {
            closed.inc();
            LOG.info("{}: {} is done (confidence {}): closed", RULE, trail.ref(), a.confidence());
            out.collect(
                    action(trail, a, ActionType.CREATE_COMMENT, closeComment(a, c), at, policy));
            ObjectNode params =
                    JsonNodeFactory.instance.objectNode().put("state_reason", "completed");
            out.collect(action(trail, a, ActionType.CLOSE_ISSUE, params, at, policy));
            forget(trail.ref(), ctx);
            return;
        }
        if (a.reaches(c.suggestAt()) && trail.suggestedAt() == null) {
            suggested.inc();
            LOG.info(
                    "{}: {} is likely done (confidence {}): labelled {}",
                    RULE,
                    trail.ref(),
                    a.confidence(),
                    c.suggestLabel());
            ObjectNode labels = JsonNodeFactory.instance.objectNode();
            labels.putArray("labels").add(c.suggestLabel());
            out.collect(action(trail, a, ActionType.ADD_LABELS, labels, at, policy));
            out.collect(
                    action(trail, a, ActionType.CREATE_COMMENT, suggestComment(a, c), at, policy));
            store(trail.withSuggestedAt(at.toEpochMilli()), ctx);
            return;
        }
        if (first && !a.reaches(c.suggestAt())) {
            leftAlone.inc();
            LOG.info(
                    "{}: {} left open: confidence {} is below suggest_at {} ({})",
                    RULE,
                    trail.ref(),
                    a.confidence(),
                    c.suggestAt(),
                    String.join("; ", a.lines()));
        }
        store(trail, ctx);
    }

    /** The trail of the issue {@code link} names, new if need be; null when it is closed. */
    private IssueTrail trail(Link link, GitHubEvent event) throws Exception {
        if (closedIssues.contains(link.ref())) {
            LOG.info(
                    "{}: {} links {}, which is closed: left alone",
                    RULE,
                    event.eventId(),
                    link.ref());
            return null;
        }
        IssueTrail trail = load(link.ref());
        return trail != null
                ? trail
                : IssueTrail.of(link.repo(), link.number(), event.installationId());
    }

    /**
     * The trail after work at {@code sha} landed at {@code at}: decided {@code decide_after} on.
     */
    private IssueTrail landed(
            IssueTrail trail, String sha, long at, Completion c, ReadOnlyContext ctx)
            throws Exception {
        if (sha != null) {
            String refs = shas.get(sha);
            Set<String> all = new LinkedHashSet<>();
            if (refs != null) {
                all.addAll(List.of(refs.split(" ")));
            }
            all.add(trail.ref());
            shas.put(sha, String.join(" ", all));
        }
        long decideAt = at + c.decideAfter().toMillis();
        if (trail.decideAt() != null && trail.decideAt() >= decideAt) {
            return trail;
        }
        if (trail.decideAt() != null) {
            unschedule(trail.ref(), trail.decideAt(), ctx);
        }
        ctx.timerService().registerEventTimeTimer(decideAt);
        String others = due.get(decideAt);
        due.put(decideAt, others == null ? trail.ref() : others + " " + trail.ref());
        // a new landing: decided anew at its time
        return trail.withDecideAt(decideAt).withDecided(null);
    }

    /**
     * Takes {@code ref} out of the decisions at {@code at}; the timer goes when no other issue is
     * decided then (issues that one merge links land, and are decided, at the same time).
     */
    private void unschedule(String ref, long at, ReadOnlyContext ctx) throws Exception {
        String refs = due.get(at);
        if (refs == null) {
            return; // fired already, or state written before the index
        }
        List<String> rest = new ArrayList<>(List.of(refs.split(" ")));
        rest.remove(ref);
        if (rest.isEmpty()) {
            due.remove(at);
            ctx.timerService().deleteEventTimeTimer(at);
        } else {
            due.put(at, String.join(" ", rest));
        }
    }

    /** The links this rule follows; others (another owner's repository) logged and counted. */
    private List<Link> followed(GitHubEvent event, List<Link> found) {
        List<Link> kept = ClosingLinks.sameOwner(found, event.repo());
        links.inc(kept.size());
        for (Link link : found) {
            if (!kept.contains(link)) {
                linksIgnored.inc();
                LOG.info(
                        "{}: {} in {} links {}, of another owner (another installation): not"
                                + " followed",
                        RULE,
                        event.eventId(),
                        event.repo(),
                        link.ref());
            }
        }
        return kept;
    }

    private boolean counts(Completion c, String branch) {
        return c.branches().isEmpty()
                || c.branches().stream().anyMatch(g -> BranchGlob.matches(g, branch));
    }

    /**
     * Whether a direct push to {@code branch} lands: on a counted branch when {@code branches} is
     * given; else on {@code main} or {@code master} and on branches pull requests were merged into
     * (a push to any other branch is work in progress).
     */
    private boolean pushCounts(Completion c, String branch) throws Exception {
        if (!c.branches().isEmpty()) {
            return counts(c, branch);
        }
        return MAINLINES.contains(branch) || bases.contains(branch);
    }

    private static List<String> causes(Work had, GitHubEvent event) {
        List<String> ids = new ArrayList<>(had == null ? List.of() : had.causedBy());
        if (!ids.contains(event.eventId())) {
            ids.add(event.eventId());
        }
        return ids.size() > 20 ? ids.subList(ids.size() - 20, ids.size()) : ids;
    }

    private IssueTrail load(String ref) throws Exception {
        String json = trails.get(ref);
        return json == null ? null : IssueTrail.fromJson(json);
    }

    /** Saves the trail; one with no work, or only abandoned work, is forgotten. */
    private void store(IssueTrail trail, ReadOnlyContext ctx) throws Exception {
        if (trail.works().stream().allMatch(Work::abandoned)) {
            forget(trail.ref(), ctx);
            return;
        }
        trails.put(trail.ref(), trail.toJson());
    }

    /** Drops the issue's trail, its commits' entries and its pending decision. */
    private void forget(String ref, ReadOnlyContext ctx) throws Exception {
        IssueTrail trail = load(ref);
        trails.remove(ref);
        features.remove(ref);
        if (trail == null) {
            return;
        }
        if (trail.decideAt() != null) {
            unschedule(ref, trail.decideAt(), ctx);
        }
        for (Work w : trail.works()) {
            if (w.sha() == null) {
                continue;
            }
            String refs = shas.get(w.sha());
            if (refs == null) {
                continue;
            }
            List<String> rest = new ArrayList<>(List.of(refs.split(" ")));
            rest.remove(ref);
            if (rest.isEmpty()) {
                shas.remove(w.sha());
            } else {
                shas.put(w.sha(), String.join(" ", rest));
            }
        }
    }

    private static ObjectNode closeComment(Assessment a, Completion c) {
        return JsonNodeFactory.instance
                .objectNode()
                .put(
                        "body",
                        "Closing as completed: the work linked to this issue has landed"
                                + " (confidence "
                                + a.confidence()
                                + ", closes at "
                                + c.closeAt()
                                + ").\n\n"
                                + bullets(a)
                                + "\nIf it is not done, reopen it.");
    }

    private static ObjectNode suggestComment(Assessment a, Completion c) {
        return JsonNodeFactory.instance
                .objectNode()
                .put(
                        "body",
                        "This looks done: the work linked to it has landed (confidence "
                                + a.confidence()
                                + ", below "
                                + c.closeAt()
                                + " to close it without a person). Labelled `"
                                + c.suggestLabel()
                                + "` for a maintainer to check and close.\n\n"
                                + bullets(a));
    }

    private static String bullets(Assessment a) {
        StringBuilder b = new StringBuilder();
        for (String line : a.lines()) {
            b.append("- ").append(line).append('\n');
        }
        return b.toString();
    }

    private static ActionRecord action(
            IssueTrail trail,
            Assessment a,
            ActionType type,
            ObjectNode params,
            Instant at,
            RepoPolicy policy) {
        List<String> causes = new ArrayList<>();
        for (Work w : trail.works()) {
            for (String id : w.causedBy()) {
                if (!causes.contains(id) && causes.size() < 20) {
                    causes.add(id);
                }
            }
        }
        String what =
                switch (type) {
                    case CLOSE_ISSUE -> "close";
                    case ADD_LABELS -> "suggest";
                    default ->
                            params.path("body").asText().startsWith("Closing")
                                    ? "close-comment"
                                    : "suggest-comment";
                };
        String reason =
                switch (type) {
                    case CLOSE_ISSUE, CREATE_COMMENT ->
                            trail.ref()
                                    + (what.startsWith("close")
                                            ? " is done: its linked work landed (confidence "
                                            : " is likely done (confidence ")
                                    + a.confidence()
                                    + ")";
                    default ->
                            trail.ref()
                                    + " is likely done (confidence "
                                    + a.confidence()
                                    + "): labelled for a maintainer";
                };
        return new ActionRecord(
                RULE + ":" + trail.ref() + ":" + what + "@" + at,
                trail.repo(),
                trail.number(),
                type,
                params,
                reason,
                a.lines(),
                a.confidence(),
                RULE,
                causes,
                trail.installationId(),
                at,
                null,
                null,
                policy.dryRun());
    }

    /** The issue of an {@code issues} or {@code issue_comment} event, or null. */
    private record OptionalRef(String ref) {
        static OptionalRef of(GitHubEvent event) {
            long number = event.payload().path("issue").path("number").asLong(0);
            return number <= 0 ? null : new OptionalRef(event.repo() + "#" + number);
        }
    }
}

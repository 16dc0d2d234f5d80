package io.repostream.flink.rules.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.flink.serialization.JsonTypeInfo;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.TypedTarget;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repository policies from the repositories themselves ({@code .github/repostream.yml} on the
 * default branch, over the owner's defaults in its {@code .github} repository). On a push to a
 * default branch that changes the file, and when repositories are installed, it asks the executor
 * to read both files (two {@code read_file} read actions: rules only see events, ARCHITECTURE.md
 * rule 8); once both answers are back, it checks the result as {@code policy check} does, narrows
 * it by the job's {@link PolicyCeilings} and writes it to {@link #POLICIES} (the job's sink to
 * {@code github.config.v1}). A file that is not valid writes nothing: the policy in force stays,
 * the error is logged and counted ({@code repoConfigInvalid}). A push to the owner's {@code
 * .github} repository that changes its defaults reads again the files of every repository known to
 * have one. Keyed by owner ({@link RepoConfigEvents.Key}); the state of a repository's pending
 * reads is gone once both answers are in.
 */
public final class RepoConfigFunction
        extends KeyedBroadcastProcessFunction<String, GitHubEvent, RepoPolicy, ActionRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RepoConfigFunction.class);

    public static final String RULE = "repo-config";
    public static final String PRODUCED_BY = RULE + "@1";

    /** The read the rule asks for. */
    public static final ActionType FILE_READ = ActionType.READ_FILE;

    /**
     * The typed target that reads a repository's default branch without knowing its name (the
     * executor's {@code FileRead.DEFAULT_BRANCH}: git refuses {@code HEAD} as a branch name).
     */
    static final String DEFAULT_BRANCH = "refs/heads/HEAD";

    /** The policies made from repositories' files, for {@code github.config.v1}. */
    public static final OutputTag<RepoPolicy> POLICIES =
            new OutputTag<>("repo-config-policies", JsonTypeInfo.of(RepoPolicy.class));

    /** The check run on a pull request that changes the file. */
    public static final String CHECK_NAME = "repostream/config";

    /** The check run's action type (App mode; the executor writes a commit status with a token). */
    public static final ActionType CHECK_RUN = ActionType.CREATE_CHECK_RUN;

    /**
     * One answer of a read: {@code outcome} as the executor wrote it, GitHub's status, the file's
     * text and its blob SHA.
     */
    public record Answer(
            String outcome, Integer status, String text, String error, String blobSha) {
        boolean read() {
            return "read".equals(outcome) && text != null;
        }

        boolean missing() {
            return "failed".equals(outcome) && status != null && status == 404;
        }
    }

    /**
     * The reads asked for one repository and the answers so far.
     *
     * @param ownRead the action id of the read of its file
     * @param defaultsRead the action id of the read of its owner's defaults
     * @param cause the event that asked, for the log
     */
    public record Pending(
            String ownRead,
            String defaultsRead,
            String cause,
            Answer own,
            Answer defaults,
            Long pull,
            String headSha) {
        Pending with(String actionId, Answer answer) {
            return new Pending(
                    ownRead,
                    defaultsRead,
                    cause,
                    actionId.equals(ownRead) ? answer : own,
                    actionId.equals(defaultsRead) ? answer : defaults,
                    pull,
                    headSha);
        }

        /** Whether these are the reads of a pull request's check ({@code own} its head's file). */
        boolean check() {
            return pull != null;
        }
    }

    private final PolicyCeilings fixedCeilings;

    private transient PolicyCeilings ceilings;
    private transient MapState<String, Pending> pending;
    private transient MapState<String, Boolean> configured;
    private transient Counter requested;
    private transient Counter written;
    private transient Counter invalid;
    private transient Counter absent;
    private transient Counter readFailed;
    private transient Counter narrowed;
    private transient Counter checked;

    /** The ceilings from the job's parameters ({@link PolicyCeilings#of}). */
    public RepoConfigFunction() {
        this(null);
    }

    /** Fixed ceilings (tests); null reads them from the job's parameters. */
    public RepoConfigFunction(PolicyCeilings ceilings) {
        this.fixedCeilings = ceilings;
    }

    @Override
    public void open(OpenContext openContext) {
        ceilings =
                fixedCeilings != null
                        ? fixedCeilings
                        : PolicyCeilings.of(getRuntimeContext().getGlobalJobParameters());
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "repo-config-pending",
                                        Types.STRING,
                                        JsonTypeInfo.of(Pending.class)));
        configured =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "repo-config-configured", Types.STRING, Types.BOOLEAN));
        var metrics = getRuntimeContext().getMetricGroup();
        requested = metrics.counter("repoConfigReadsRequested");
        written = metrics.counter("repoConfigWritten");
        invalid = metrics.counter("repoConfigInvalid");
        absent = metrics.counter("repoConfigAbsent");
        readFailed = metrics.counter("repoConfigReadFailed");
        narrowed = metrics.counter("repoConfigNarrowed");
        checked = metrics.counter("repoConfigChecksPassed");
    }

    @Override
    public void processElement(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        if (event.source() == EventSource.ENRICHMENT) {
            onAnswer(event, ctx, out);
            return;
        }
        switch (event.type()) {
            case "push" -> onPush(event, out);
            case "pull_request" -> onPull(event, out);
            case "installation" -> {
                if ("created".equals(event.action())) {
                    onInstalled(event, "repositories", out);
                }
            }
            case "installation_repositories" -> {
                if ("added".equals(event.action())) {
                    onInstalled(event, "repositories_added", out);
                }
            }
            default -> {}
        }
    }

    @Override
    public void processBroadcastElement(
            RepoPolicy policy, Context ctx, Collector<ActionRecord> out) {
        // the rule makes policies; the policies in force do not change what it reads
    }

    private void onPush(GitHubEvent event, Collector<ActionRecord> out) throws Exception {
        JsonNode p = event.payload();
        String branch = p.path("repository").path("default_branch").asText("");
        if (branch.isEmpty() || !p.path("ref").asText().equals("refs/heads/" + branch)) {
            return;
        }
        if (!touchesFile(p)) {
            return;
        }
        String repo = event.repo();
        if (repo.endsWith("/" + RepoConfigFile.DEFAULTS_REPO)) {
            // the owner's defaults changed: every repository with a file of its own again
            Set<String> repos = new LinkedHashSet<>();
            for (String known : configured.keys()) {
                repos.add(known);
            }
            repos.add(repo);
            LOG.info(
                    "{}: {} changed the defaults in {}: reading the files of {}",
                    RULE,
                    event.eventId(),
                    repo,
                    repos);
            for (String r : repos) {
                ask(event, r, r.equals(repo) ? "refs/heads/" + branch : DEFAULT_BRANCH, out);
            }
            return;
        }
        ask(event, repo, "refs/heads/" + branch, out);
    }

    private static boolean touchesFile(JsonNode push) {
        for (JsonNode commit : push.path("commits")) {
            for (String list : List.of("added", "modified", "removed")) {
                for (JsonNode path : commit.path(list)) {
                    if (RepoConfigFile.PATH.equals(path.asText())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private void onInstalled(GitHubEvent event, String field, Collector<ActionRecord> out)
            throws Exception {
        for (JsonNode r : event.payload().path(field)) {
            String fullName = r.path("full_name").asText("");
            if (fullName.indexOf('/') > 0) {
                ask(event, fullName.toLowerCase(Locale.ROOT), DEFAULT_BRANCH, out);
            }
        }
    }

    /** Asks for the file of {@code repo} on {@code ref} and for its owner's defaults. */
    private void ask(GitHubEvent cause, String repo, String ref, Collector<ActionRecord> out)
            throws Exception {
        String base = RULE + ":" + repo + ":" + cause.eventId();
        String ownRead = base + ":own";
        String defaultsRead = base + ":defaults";
        String defaultsRepo = RepoConfigFile.defaultsRepo(repo);
        pending.put(
                repo, new Pending(ownRead, defaultsRead, cause.eventId(), null, null, null, null));
        out.collect(read(cause, ownRead, repo, ref, "the policy of " + repo));
        out.collect(
                read(
                        cause,
                        defaultsRead,
                        defaultsRepo,
                        DEFAULT_BRANCH,
                        "the defaults of " + repo + "'s owner"));
        requested.inc(2);
    }

    /**
     * A pull request opened or pushed to: its head's file and its base's, to see whether it changes
     * the file (their blob SHAs differ) and if so to check it.
     */
    private void onPull(GitHubEvent event, Collector<ActionRecord> out) throws Exception {
        String action = event.action();
        if (!"opened".equals(action)
                && !"synchronize".equals(action)
                && !"reopened".equals(action)) {
            return;
        }
        JsonNode pr = event.payload().path("pull_request");
        long number = pr.path("number").asLong();
        String sha = pr.path("head").path("sha").asText("");
        String base = pr.path("base").path("ref").asText("");
        if (number <= 0 || sha.length() != 40 || base.isEmpty()) {
            return;
        }
        String repo = event.repo();
        String id = RULE + ":" + repo + "#" + number + ":" + sha;
        String headRead = id + ":head";
        String baseRead = id + ":base";
        pending.put(
                repo + "#" + number,
                new Pending(headRead, baseRead, event.eventId(), null, null, number, sha));
        out.collect(
                read(
                        event,
                        headRead,
                        repo,
                        "refs/pull/" + number + "/head",
                        sha,
                        "the file of " + repo + "#" + number));
        out.collect(
                read(
                        event,
                        baseRead,
                        repo,
                        "refs/heads/" + base,
                        null,
                        "the file " + repo + "#" + number + " would change"));
        requested.inc(2);
    }

    private static ActionRecord read(
            GitHubEvent cause, String id, String repo, String ref, String what) {
        return read(cause, id, repo, ref, null, what);
    }

    /** A read of the file on {@code ref}, or at commit {@code sha} when given. */
    private static ActionRecord read(
            GitHubEvent cause, String id, String repo, String ref, String sha, String what) {
        var params = JsonNodeFactory.instance.objectNode().put("path", RepoConfigFile.PATH);
        if (sha != null) {
            params.put("ref", sha);
        }
        return new ActionRecord(
                        id,
                        repo,
                        1,
                        FILE_READ,
                        params,
                        what
                                + ": read "
                                + RepoConfigFile.PATH
                                + (sha != null
                                        ? " at " + sha
                                        : DEFAULT_BRANCH.equals(ref)
                                                ? " on the default branch"
                                                : " on " + ref),
                        List.of("event " + cause.eventId() + ": " + cause.qualifiedType()),
                        1.0,
                        PRODUCED_BY,
                        List.of(cause.eventId()),
                        cause.installationId(),
                        cause.occurredAt(),
                        null,
                        null,
                        false)
                .withTypedTarget(TypedTarget.ref(ref));
    }

    private void onAnswer(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        JsonNode e = event.payload().path("enrichment");
        String id = e.path("action_id").asText();
        String repo = null;
        Pending waiting = null;
        for (Map.Entry<String, Pending> entry : pending.entries()) {
            Pending p = entry.getValue();
            if (id.equals(p.ownRead()) || id.equals(p.defaultsRead())) {
                repo = entry.getKey();
                waiting = p;
                break;
            }
        }
        if (waiting == null) {
            LOG.info("{}: no read waits for {} (answered before, or superseded)", RULE, id);
            return;
        }
        JsonNode status = e.path("status");
        JsonNode text = e.path("result").path("text");
        JsonNode blob = e.path("result").path("sha");
        Answer answer =
                new Answer(
                        e.path("outcome").asText(),
                        status.canConvertToInt() ? status.asInt() : null,
                        text.isTextual() ? text.asText() : null,
                        e.path("error").isTextual() ? e.path("error").asText() : null,
                        blob.isTextual() ? blob.asText() : null);
        Pending now = waiting.with(id, answer);
        if (now.own() == null || now.defaults() == null) {
            pending.put(repo, now);
            return;
        }
        pending.remove(repo);
        if (now.check()) {
            check(event, repo.substring(0, repo.indexOf('#')), now, out);
            return;
        }
        resolve(repo, now, event, ctx);
    }

    /**
     * The check run of a pull request whose head's file differs from its base's: success with what
     * the ceilings would cut, or failure with an annotation at each error's line.
     */
    private void check(GitHubEvent last, String repo, Pending reads, Collector<ActionRecord> out) {
        Answer head = reads.own();
        Answer base = reads.defaults();
        boolean headHas = head.read();
        boolean baseHas = base.read();
        if (!headHas && !head.missing() || !baseHas && !base.missing()) {
            readFailed.inc();
            LOG.warn(
                    "{}: {}#{}: no check of {} (cause {}): {}",
                    RULE,
                    repo,
                    reads.pull(),
                    RepoConfigFile.PATH,
                    reads.cause(),
                    !headHas && !head.missing() ? describe(repo, head) : describe(repo, base));
            return;
        }
        if (!headHas && !baseHas
                || headHas && baseHas && java.util.Objects.equals(head.blobSha(), base.blobSha())) {
            return; // the pull request does not change the file
        }
        String conclusion;
        String title;
        StringBuilder summary = new StringBuilder();
        List<com.fasterxml.jackson.databind.node.ObjectNode> annotations = new ArrayList<>();
        if (!headHas) {
            conclusion = "neutral";
            title = "Removes " + RepoConfigFile.PATH;
            summary.append("Once merged, the policy in force stays as it is (a repository without")
                    .append(" the file keeps its policy).");
        } else {
            RepoConfigFile.Outcome outcome =
                    RepoConfigFile.resolve(repo, head.text(), null, ceilings, last.occurredAt());
            if (outcome instanceof RepoConfigFile.Invalid bad) {
                conclusion = "failure";
                title = "Not a valid repostream policy";
                summary.append("Once merged, this file would change nothing: ")
                        .append("the policy in force stays.\n\n");
                var problems =
                        io.repostream.schemas.policy.PolicyDocuments.problems(
                                head.text(), bad.error());
                for (var problem : problems) {
                    summary.append("- line ")
                            .append(problem.line())
                            .append(": ")
                            .append(problem.message())
                            .append('\n');
                    if (annotations.size() < 50) {
                        annotations.add(
                                JsonNodeFactory.instance
                                        .objectNode()
                                        .put("path", RepoConfigFile.PATH)
                                        .put("start_line", problem.line())
                                        .put("end_line", problem.line())
                                        .put("annotation_level", "failure")
                                        .put("message", problem.message()));
                    }
                }
            } else {
                RepoConfigFile.Valid valid = (RepoConfigFile.Valid) outcome;
                conclusion = "success";
                title = "A valid repostream policy";
                summary.append("Checked as `policy check` checks it (without the owner's")
                        .append(" defaults, which are laid under it once merged).");
                if (!valid.narrowed().isEmpty()) {
                    summary.append("\n\nThe central ceilings will cut back:\n");
                    valid.narrowed().forEach(c -> summary.append("- ").append(c).append('\n'));
                }
            }
        }
        var params =
                JsonNodeFactory.instance
                        .objectNode()
                        .put("name", CHECK_NAME)
                        .put("status", "completed")
                        .put("conclusion", conclusion)
                        .put("title", title)
                        .put("summary", summary.toString())
                        .put("pull_number", reads.pull());
        if (!annotations.isEmpty()) {
            params.putArray("annotations").addAll(annotations);
        }
        (conclusion.equals("failure") ? invalid : checked).inc();
        out.collect(
                new ActionRecord(
                                RULE
                                        + ":"
                                        + repo
                                        + "#"
                                        + reads.pull()
                                        + ":"
                                        + reads.headSha()
                                        + ":check",
                                repo,
                                1,
                                CHECK_RUN,
                                params,
                                title
                                        + ": "
                                        + repo
                                        + "#"
                                        + reads.pull()
                                        + " changes "
                                        + RepoConfigFile.PATH,
                                List.of("event " + reads.cause()),
                                1.0,
                                PRODUCED_BY,
                                List.of(reads.cause()),
                                last.installationId(),
                                last.occurredAt(),
                                null,
                                null,
                                false)
                        .withTypedTarget(TypedTarget.commit(reads.headSha())));
    }

    private void resolve(String repo, Pending answers, GitHubEvent last, ReadOnlyContext ctx)
            throws Exception {
        Answer own = answers.own();
        if (own.missing()) {
            absent.inc();
            configured.remove(repo);
            LOG.info(
                    "{}: {} has no {} (cause {}): its policy stays as it is",
                    RULE,
                    repo,
                    RepoConfigFile.PATH,
                    answers.cause());
            return;
        }
        Answer defaults = answers.defaults();
        String failed =
                !own.read()
                        ? describe(repo, own)
                        : !defaults.read() && !defaults.missing()
                                ? describe(RepoConfigFile.defaultsRepo(repo), defaults)
                                : null;
        if (failed != null) {
            readFailed.inc();
            LOG.warn(
                    "{}: {}'s policy not updated (cause {}): {}",
                    RULE,
                    repo,
                    answers.cause(),
                    failed);
            return;
        }
        configured.put(repo, true);
        RepoConfigFile.Outcome outcome =
                RepoConfigFile.resolve(
                        repo,
                        own.text(),
                        defaults.read() ? defaults.text() : null,
                        ceilings,
                        last.occurredAt());
        if (outcome instanceof RepoConfigFile.Invalid bad) {
            invalid.inc();
            LOG.warn(
                    "{}: {}'s policy not updated, the file is not valid (cause {}): {}",
                    RULE,
                    repo,
                    answers.cause(),
                    bad.error());
            return;
        }
        RepoConfigFile.Valid valid = (RepoConfigFile.Valid) outcome;
        if (!valid.narrowed().isEmpty()) {
            narrowed.inc();
            LOG.info(
                    "{}: {}'s file asks for more than the central ceilings allow: {}",
                    RULE,
                    repo,
                    valid.narrowed());
        }
        written.inc();
        LOG.info(
                "{}: {}'s policy written from {} (cause {})",
                RULE,
                repo,
                RepoConfigFile.PATH,
                answers.cause());
        ctx.output(POLICIES, valid.policy());
    }

    private static String describe(String repo, Answer answer) {
        List<String> parts = new ArrayList<>();
        parts.add("reading " + repo + ":" + RepoConfigFile.PATH + " " + answer.outcome());
        if (answer.status() != null) {
            parts.add("status " + answer.status());
        }
        if (answer.error() != null) {
            parts.add(answer.error());
        }
        if ("read".equals(answer.outcome()) && answer.text() == null) {
            parts.add("not a UTF-8 file GitHub sends the content of");
        }
        return String.join(", ", parts);
    }
}

package io.repostream.flink.rules.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.rules.Accounts;
import io.repostream.flink.rules.PolicyAwareFunction;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Mode;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule {@code slash-commands@1}: the job's one slash-command framework. Keyed by item ({@code
 * owner/repo#12}).
 *
 * <ol>
 *   <li>A new comment ({@code issue_comment.created}, not by a bot) is parsed ({@link
 *       SlashCommandParser}). Commands no rule declares are unknown. When none is known, the
 *       framework replies once, naming them and the known ones.
 *   <li>Otherwise the commands wait in keyed state while the framework asks the executor to read
 *       the commenter's permission on the repository ({@code read_collaborator_permission}, a read
 *       action): rights come from GitHub, never from the comment (its {@code author_association}).
 *   <li>The read's result comes back as an enrichment event for this item, matched by the read's
 *       action id. Each command whose declaring rule's {@link SlashCommand#needs} the permission
 *       includes is handed to that rule's handler, and what it returns is proposed as that rule's
 *       actions. Unknown, refused and mistaken commands of the comment get one reply together,
 *       never one per rule or per command.
 * </ol>
 *
 * <p>Action ids derive from the comment's id, so a comment delivered twice (webhook and poller)
 * proposes the same ids, which the executor applies once. The pending entry is removed when the
 * result arrives; one whose result never comes is garbage collected after {@link
 * #PENDING_RETENTION}.
 */
public final class SlashCommandFunction extends PolicyAwareFunction<GitHubEvent, ActionRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SlashCommandFunction.class);

    public static final String RULE = "slash-commands@1";

    /** The read the framework asks for. */
    public static final ActionType PERMISSION_READ = ActionType.READ_COLLABORATOR_PERMISSION;

    /** Garbage collection for reads whose result never comes; not a business rule. */
    static final Duration PENDING_RETENTION = Duration.ofDays(1);

    /**
     * How long a pull request's latest run of a workflow is kept for {@code /retest}: GitHub
     * re-runs a workflow run up to 30 days after it first ran.
     */
    static final Duration RUN_RETENTION = Duration.ofDays(30);

    private final CommandRegistry commands;

    private transient MapState<String, String> pending;
    private transient MapState<String, String> runs;
    private transient Counter runsOfSeveralPullRequests;
    private transient Counter refusedCommands;
    private transient Counter unknownCommands;
    private transient Counter commandsOfRulesOff;

    public SlashCommandFunction(CommandRegistry commands) {
        this.commands = commands;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        MapStateDescriptor<String, String> descriptor =
                new MapStateDescriptor<>("pending-commands", Types.STRING, Types.STRING);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(PENDING_RETENTION).build());
        pending = getRuntimeContext().getMapState(descriptor);
        MapStateDescriptor<String, String> runsDescriptor =
                new MapStateDescriptor<>("pull-request-runs", Types.STRING, Types.STRING);
        runsDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(RUN_RETENTION).build());
        runs = getRuntimeContext().getMapState(runsDescriptor);
        runsOfSeveralPullRequests =
                getRuntimeContext().getMetricGroup().counter("runsOfSeveralPullRequests");
        refusedCommands = getRuntimeContext().getMetricGroup().counter("refusedCommands");
        unknownCommands = getRuntimeContext().getMetricGroup().counter("unknownCommands");
        commandsOfRulesOff = getRuntimeContext().getMetricGroup().counter("commandsOfRulesOff");
    }

    @Override
    public void processElement(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        if (event.source() == EventSource.ENRICHMENT
                && PERMISSION_READ.wireName().equals(event.type())) {
            onPermission(event, ctx, out);
        } else if ("issue_comment".equals(event.type()) && "created".equals(event.action())) {
            onComment(event, ctx, out);
        } else if ("workflow_run".equals(event.type()) && "completed".equals(event.action())) {
            onRun(event, ctx);
        }
    }

    /**
     * Keeps the pull request's latest completed run of the workflow (by run id, then attempt), for
     * {@code /retest}. Keyed by the first pull request the run names ({@link CommandEvents}).
     */
    private void onRun(GitHubEvent event, ReadOnlyContext ctx) throws Exception {
        JsonNode run = event.payload().path("workflow_run");
        if (run.path("pull_requests").size() > 1) {
            runsOfSeveralPullRequests.inc();
            LOG.info(
                    "{}: run {} of {} names {} pull requests; /retest knows it on {} only",
                    RULE,
                    run.path("id").asLong(),
                    event.repo(),
                    run.path("pull_requests").size(),
                    ctx.getCurrentKey());
        }
        String workflow = run.path("name").asText("");
        WorkflowRun latest =
                new WorkflowRun(
                        run.path("id").asLong(),
                        workflow,
                        run.path("conclusion").asText(""),
                        run.path("run_attempt").asInt(1));
        String known = runs.get(workflow);
        if (known != null) {
            WorkflowRun before = runFromJson(known);
            if (before.id() > latest.id()
                    || (before.id() == latest.id() && before.attempt() > latest.attempt())) {
                return; // an older run or attempt, delivered late
            }
        }
        runs.put(workflow, runToJson(latest));
    }

    private List<WorkflowRun> latestRuns() throws Exception {
        List<WorkflowRun> latest = new ArrayList<>();
        for (String json : runs.values()) {
            latest.add(runFromJson(json));
        }
        latest.sort(java.util.Comparator.comparing(WorkflowRun::workflow));
        return latest;
    }

    private static String runToJson(WorkflowRun run) {
        return JsonNodeFactory.instance
                .objectNode()
                .put("id", run.id())
                .put("workflow", run.workflow())
                .put("conclusion", run.conclusion())
                .put("attempt", run.attempt())
                .toString();
    }

    private static WorkflowRun runFromJson(String json) {
        try {
            JsonNode node = Json.mapper().readTree(json);
            return new WorkflowRun(
                    node.path("id").asLong(),
                    node.path("workflow").asText(),
                    node.path("conclusion").asText(),
                    node.path("attempt").asInt(1));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable workflow run: " + json, e);
        }
    }

    private void onComment(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        JsonNode comment = event.payload().path("comment");
        JsonNode user = comment.path("user");
        String author = user.path("login").asText("");
        if (author.isEmpty() || Accounts.isBot(user) || !comment.path("id").canConvertToLong()) {
            return; // our own replies, other bots, and payloads without a commenter
        }
        List<SlashCommandParser.Parsed> parsed =
                SlashCommandParser.parse(comment.path("body").asText(""));
        if (parsed.isEmpty()) {
            return;
        }
        String item = ctx.getCurrentKey();
        long commentId = comment.path("id").asLong();
        RepoPolicy policy = policy(ctx, event.repo());
        if (Accounts.ignored(policy, author)) {
            return;
        }
        List<SlashCommandParser.Parsed> known = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Reply reply = new Reply(author);
        for (SlashCommandParser.Parsed c : parsed) {
            if (commands.find(c.name()).isPresent()) {
                known.add(c);
            } else {
                unknown.add(c.line());
                reply.unknown(c.line());
            }
        }
        unknownCommands.inc(unknown.size());
        // the commands of rules that are off here are refused with the others once the
        // permission is read; when no other command is left, at once and without a read
        if (known.stream().allMatch(c -> offHere(c, policy))) {
            for (SlashCommandParser.Parsed c : known) {
                commandsOfRulesOff.inc();
                reply.off(c.line(), commands.find(c.name()).orElseThrow().section());
            }
            out.collect(reply(event, item, commentId, reply.text(commands), policy));
            return;
        }
        String readId = RULE + ":" + item + ":comment:" + commentId + ":permission";
        String itemAuthor = event.payload().path("issue").path("user").path("login").asText("");
        List<String> itemLabels = new ArrayList<>();
        event.payload()
                .path("issue")
                .path("labels")
                .forEach(l -> itemLabels.add(l.path("name").asText()));
        // an issue_comment on a pull request carries issue.pull_request (GitHub's webhook docs)
        boolean pullRequest = event.payload().path("issue").path("pull_request").isObject();
        pending.put(
                readId,
                new Pending(
                                commentId,
                                author,
                                event.eventId(),
                                known,
                                unknown,
                                itemAuthor,
                                itemLabels,
                                pullRequest)
                        .toJson());
        out.collect(permissionRead(event, item, readId, author, commentId));
    }

    private void onPermission(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        JsonNode e = event.payload().path("enrichment");
        if (!RULE.equals(e.path("requested_by").asText())) {
            return;
        }
        String readId = e.path("action_id").asText();
        String json = pending.get(readId);
        if (json == null) {
            LOG.info(
                    "{}: no commands wait for read {} (answered before, or expired)", RULE, readId);
            return;
        }
        pending.remove(readId);
        Pending p = Pending.fromJson(json);
        String item = ctx.getCurrentKey();
        RepoPolicy policy = policy(ctx, event.repo());
        Reply reply = new Reply(p.author());
        p.unknownLines().forEach(reply::unknown);
        Optional<RepoPermission> permission =
                "read".equals(e.path("outcome").asText())
                        ? Optional.of(RepoPermission.of(e.path("result")))
                        : Optional.empty();
        long number = event.payload().path("issue").path("number").asLong();
        int index = 0;
        for (SlashCommandParser.Parsed c : p.commands()) {
            index++;
            CommandRegistry.Declared declared = commands.find(c.name()).orElseThrow();
            SlashCommand command = declared.command();
            Mode mode = policy.mode(declared.section());
            if (mode == Mode.OFF) {
                commandsOfRulesOff.inc();
                reply.off(c.line(), declared.section());
                continue;
            }
            boolean byAuthor =
                    command.authorMay(policy, p.itemLabels())
                            && !p.itemAuthor().isEmpty()
                            && p.author().equalsIgnoreCase(p.itemAuthor());
            // a command anyone may run (/help) does not wait on a read that failed
            boolean anyone = command.needs() == RepoPermission.NONE;
            if (!byAuthor && !anyone && permission.isEmpty()) {
                reply.notChecked(c.line(), e.path("error").asText("the read failed"));
                continue;
            }
            if (!byAuthor && !anyone && !permission.get().includes(command.needs())) {
                refusedCommands.inc();
                reply.refused(c.line(), command.needs(), command.authorMay(), permission.get());
                continue;
            }
            List<SlashCommand.Effect> effects;
            try {
                effects =
                        command.handler()
                                .handle(
                                        new SlashCommand.Invocation(
                                                event.repo(),
                                                number,
                                                c.args(),
                                                p.author(),
                                                policy,
                                                p.pullRequest(),
                                                p.itemLabels(),
                                                p.itemAuthor(),
                                                p.pullRequest() ? latestRuns() : List.of(),
                                                commands));
            } catch (IllegalArgumentException mistaken) {
                reply.mistaken(c.line(), mistaken.getMessage(), command.usage());
                continue;
            }
            int n = 0;
            for (SlashCommand.Effect effect : effects) {
                ActionRecord action =
                        effect(
                                event,
                                item,
                                number,
                                p,
                                declared,
                                effect,
                                index + "." + ++n,
                                c,
                                policy);
                out.collect(mode == Mode.SHADOW ? action.asDryRun() : action);
            }
        }
        if (!reply.isEmpty()) {
            out.collect(reply(event, item, p.commentId(), reply.text(commands), policy));
        }
    }

    private boolean offHere(SlashCommandParser.Parsed c, RepoPolicy policy) {
        return policy.mode(commands.find(c.name()).orElseThrow().section()) == Mode.OFF;
    }

    private static ActionRecord permissionRead(
            GitHubEvent comment, String item, String readId, String author, long commentId) {
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("username", author);
        return new ActionRecord(
                readId,
                comment.repo(),
                number(item),
                PERMISSION_READ,
                params,
                "slash commands of @" + author + " in comment " + commentId + " on " + item,
                List.of("event " + comment.eventId() + ": issue_comment.created"),
                1.0,
                RULE,
                List.of(comment.eventId()),
                comment.installationId(),
                comment.occurredAt(),
                null,
                null,
                false);
    }

    private static ActionRecord effect(
            GitHubEvent result,
            String item,
            long number,
            Pending p,
            CommandRegistry.Declared declared,
            SlashCommand.Effect effect,
            String position,
            SlashCommandParser.Parsed command,
            RepoPolicy policy) {
        return new ActionRecord(
                declared.producedBy()
                        + ":"
                        + item
                        + ":comment:"
                        + p.commentId()
                        + ":"
                        + position
                        + ":"
                        + effect.type().wireName(),
                result.repo(),
                effect.target() == null ? number : effect.target(),
                effect.type(),
                effect.params(),
                effect.reason() + " (" + command.line() + ")",
                List.of(
                        "event " + p.eventId() + ": " + command.line(),
                        "event " + result.eventId() + ": permission of @" + p.author()),
                1.0,
                declared.producedBy(),
                List.of(p.eventId(), result.eventId()),
                result.installationId(),
                result.occurredAt(),
                null,
                null,
                policy.dryRun());
    }

    private static ActionRecord reply(
            GitHubEvent cause, String item, long commentId, String body, RepoPolicy policy) {
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("body", body);
        return new ActionRecord(
                RULE + ":" + item + ":comment:" + commentId + ":reply",
                cause.repo(),
                number(item),
                ActionType.CREATE_COMMENT,
                params,
                "a slash command in comment " + commentId + " on " + item + " was not done",
                List.of("event " + cause.eventId()),
                1.0,
                RULE,
                List.of(cause.eventId()),
                cause.installationId(),
                cause.occurredAt(),
                null,
                null,
                policy.dryRun());
    }

    private static long number(String item) {
        return Long.parseLong(item.substring(item.lastIndexOf('#') + 1));
    }

    /** The commands of one comment waiting for the commenter's permission. */
    record Pending(
            long commentId,
            String author,
            String eventId,
            List<SlashCommandParser.Parsed> commands,
            List<String> unknownLines,
            String itemAuthor,
            List<String> itemLabels,
            boolean pullRequest) {

        String toJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("comment_id", commentId);
            node.put("author", author);
            node.put("event_id", eventId);
            ArrayNode cs = node.putArray("commands");
            for (SlashCommandParser.Parsed c : commands) {
                ObjectNode o = cs.addObject().put("name", c.name()).put("line", c.line());
                c.args().forEach(o.putArray("args")::add);
            }
            unknownLines.forEach(node.putArray("unknown")::add);
            node.put("item_author", itemAuthor);
            itemLabels.forEach(node.putArray("item_labels")::add);
            node.put("pull_request", pullRequest);
            return node.toString();
        }

        static Pending fromJson(String json) {
            try {
                JsonNode node = Json.mapper().readTree(json);
                List<SlashCommandParser.Parsed> cs = new ArrayList<>();
                for (JsonNode c : node.path("commands")) {
                    List<String> args = new ArrayList<>();
                    c.path("args").forEach(a -> args.add(a.asText()));
                    cs.add(
                            new SlashCommandParser.Parsed(
                                    c.path("name").asText(), args, c.path("line").asText()));
                }
                List<String> unknown = new ArrayList<>();
                node.path("unknown").forEach(u -> unknown.add(u.asText()));
                // absent in pending commands written before the labels were kept: none
                List<String> labels = new ArrayList<>();
                node.path("item_labels").forEach(l -> labels.add(l.asText()));
                return new Pending(
                        node.path("comment_id").asLong(),
                        node.path("author").asText(),
                        node.path("event_id").asText(),
                        cs,
                        unknown,
                        node.path("item_author").asText(""),
                        labels,
                        // absent in pending commands written before: not known to be one
                        node.path("pull_request").asBoolean(false));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable pending commands: " + json, e);
            }
        }
    }
}

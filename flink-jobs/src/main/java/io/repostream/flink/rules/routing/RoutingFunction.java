package io.repostream.flink.rules.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.rules.Accounts;
import io.repostream.flink.rules.GitHubPayloads;
import io.repostream.flink.rules.PolicyAwareFunction;
import io.repostream.flink.rules.routing.RoutingScores.Score;
import io.repostream.flink.rules.routing.RoutingState.Item;
import io.repostream.flink.rules.routing.RoutingState.Person;
import io.repostream.flink.rules.routing.RoutingState.Repo;
import io.repostream.flink.rules.routing.RoutingState.Weight;
import io.repostream.flink.rules.sla.SlaDeadlineFunction;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.RepoPolicy.Mode;
import io.repostream.schemas.Routing;
import io.repostream.schemas.TypedTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Rule {@code routing@1} (policy section {@code routing:}), keyed by installation ({@link
 * RoutingEvents.Key}): chooses who looks at a new issue (an assignee, once it is triaged: the first
 * event that shows it open, labelled and unassigned) and at a new or ready pull request (a
 * reviewer, when none is requested yet), once per item, by the score of {@link RoutingScores}.
 *
 * <ul>
 *   <li>Candidates: the policy's {@code candidates}, and with {@code codeowners: true} the users
 *       the default branch's {@code CODEOWNERS} names (teams are not: the executor requests users).
 *       The file is read with a {@code read_file} read action the first time the rule sees the
 *       repository and again after a push to the default branch that touches one of the places
 *       GitHub looks for it; a 404 moves on to the next place ({@link Codeowners#LOCATIONS}).
 *   <li>Never the item's author, never a bot ({@code Accounts}) or an ignored user, never someone
 *       with {@code max_open_assignments} open assignments and review requests; each skip is
 *       counted by reason and logged at debug.
 *   <li>Each choice carries its score breakdown in its reason, and the runners-up in its evidence,
 *       so the audit record says why.
 *   <li>What the rule learns from events: assignments and review requests (open work), first
 *       comments and reviews after them (response time), merged pull requests and their reverts (a
 *       merged {@code Revert "<title>"} of one merged before: performance), labels of the pull
 *       requests people merged and reviewed and their pushes to the default branch (expertise,
 *       decayed).
 * </ul>
 *
 * <p>Keyed by installation because a person's open work, cap and response time are theirs across
 * repositories; only repositories whose routing section is on are seen (the gate skips the rest).
 * Items' state goes when they close; people's and repositories' stay, with a TTL of {@link
 * #STATE_RETENTION} from their last update.
 */
public final class RoutingFunction extends PolicyAwareFunction<GitHubEvent, ActionRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RoutingFunction.class);

    public static final String RULE = "routing@1";

    /** The read the rule asks for. */
    public static final ActionType FILE_READ = ActionType.READ_FILE;

    /** Garbage collection for people and repositories no longer seen; not a business rule. */
    static final Duration STATE_RETENTION = Duration.ofDays(400);

    private static final Pattern REVERT = Pattern.compile("^Revert \"(.+)\"$");

    private transient MapState<String, String> state;
    private transient Counter assignments;
    private transient Counter reviewRequests;
    private transient Counter skippedAuthor;
    private transient Counter skippedBot;
    private transient Counter skippedCap;
    private transient Counter noCandidate;
    private transient Counter codeownersReads;
    private transient Counter codeownersInvalidLines;
    private transient Counter reassignments;

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        MapStateDescriptor<String, String> d =
                new MapStateDescriptor<>("routing", Types.STRING, Types.STRING);
        d.enableTimeToLive(StateTtlConfig.newBuilder(STATE_RETENTION).build());
        state = getRuntimeContext().getMapState(d);
        var metrics = getRuntimeContext().getMetricGroup();
        assignments = metrics.counter("routingAssignments");
        reviewRequests = metrics.counter("routingReviewRequests");
        skippedAuthor = metrics.counter("routingSkippedAuthor");
        skippedBot = metrics.counter("routingSkippedBot");
        skippedCap = metrics.counter("routingSkippedCap");
        noCandidate = metrics.counter("routingNoCandidate");
        codeownersReads = metrics.counter("routingCodeownersReads");
        codeownersInvalidLines = metrics.counter("routingCodeownersInvalidLines");
        reassignments = metrics.counter("routingReassignments");
    }

    /** The people, repositories and items one event touches, written back together. */
    private final class Loaded {
        final Map<String, Person> people = new HashMap<>();
        final Map<String, Repo> repos = new HashMap<>();
        final Map<String, Item> items = new HashMap<>();
        final Set<String> dropped = new LinkedHashSet<>();

        Person person(String login) throws Exception {
            return load(people, RoutingState.person(login), Person.class, Person::new);
        }

        Repo repo(String repo) throws Exception {
            return load(repos, RoutingState.repo(repo), Repo.class, Repo::new);
        }

        Item item(String ref) throws Exception {
            return load(items, RoutingState.item(ref), Item.class, Item::new);
        }

        /** The entry under {@code key}: read from state once per record, then from the cache. */
        private <T> T load(
                Map<String, T> cache,
                String key,
                Class<T> type,
                java.util.function.Supplier<T> fresh)
                throws Exception {
            T value = cache.get(key);
            if (value == null) {
                String json = state.get(key);
                value = json == null ? fresh.get() : RoutingState.read(json, type);
                cache.put(key, value);
            }
            return value;
        }

        void drop(String ref) {
            String key = RoutingState.item(ref);
            items.remove(key);
            dropped.add(key);
        }

        void save() throws Exception {
            for (var e : people.entrySet()) {
                state.put(e.getKey(), RoutingState.write(e.getValue()));
            }
            for (var e : repos.entrySet()) {
                state.put(e.getKey(), RoutingState.write(e.getValue()));
            }
            for (var e : items.entrySet()) {
                state.put(e.getKey(), RoutingState.write(e.getValue()));
            }
            for (String key : dropped) {
                state.remove(key);
            }
        }
    }

    @Override
    public void processElement(GitHubEvent event, ReadOnlyContext ctx, Collector<ActionRecord> out)
            throws Exception {
        RepoPolicy policy = policy(ctx, event.repo());
        Routing routing = policy.routing();
        Loaded s = new Loaded();
        Repo repo = s.repo(event.repo());
        String branch = event.payload().path("repository").path("default_branch").asText("");
        if (!branch.isEmpty()) {
            repo.defaultBranch = branch;
        }
        if (SlaDeadlineFunction.WARNING_TYPE.equals(event.type())) {
            onSlaWarning(event, out, s, repo, routing, policy);
            s.save();
            return;
        }
        if (event.source() == EventSource.ENRICHMENT) {
            onRead(event, out, s, repo, routing);
            s.save();
            return;
        }
        if (routing.codeowners() && !repo.asked && repo.defaultBranch != null) {
            ask(event, out, repo, 0, "first:" + event.eventId());
        }
        switch (event.type()) {
            case "push" -> onPush(event, out, s, repo, routing, policy);
            case "issues" -> onIssue(event, out, s, repo, routing, policy);
            case "pull_request" -> onPull(event, out, s, repo, routing, policy);
            case "pull_request_review" -> onReview(event, s, policy);
            case "issue_comment" -> onComment(event, s, policy);
            default -> {}
        }
        s.save();
    }

    // ---------------------------------------------------------------- CODEOWNERS

    /** Asks for the CODEOWNERS file at {@code LOCATIONS[index]} on the default branch. */
    private void ask(
            GitHubEvent cause, Collector<ActionRecord> out, Repo repo, int index, String why) {
        String path = Codeowners.LOCATIONS.get(index);
        String id = RULE + ":" + cause.repo() + ":codeowners:" + path + ":" + why;
        ObjectNode params =
                JsonNodeFactory.instance
                        .objectNode()
                        .put("path", path)
                        .put("ref", repo.defaultBranch);
        repo.asked = true;
        repo.pendingRead = id;
        repo.pendingPath = path;
        repo.pendingCause = why;
        codeownersReads.inc();
        out.collect(
                new ActionRecord(
                                id,
                                cause.repo(),
                                1,
                                FILE_READ,
                                params,
                                "who owns the code of "
                                        + cause.repo()
                                        + ": read "
                                        + path
                                        + " on "
                                        + repo.defaultBranch,
                                List.of("event " + cause.eventId() + ": " + cause.qualifiedType()),
                                1.0,
                                RULE,
                                List.of(cause.eventId()),
                                cause.installationId(),
                                cause.occurredAt(),
                                null,
                                null,
                                false)
                        .withTypedTarget(TypedTarget.ref("refs/heads/" + repo.defaultBranch)));
    }

    private void onRead(
            GitHubEvent event, Collector<ActionRecord> out, Loaded s, Repo repo, Routing routing)
            throws Exception {
        JsonNode e = event.payload().path("enrichment");
        if (!RULE.equals(e.path("requested_by").asText())) {
            return;
        }
        String id = e.path("action_id").asText();
        if (!id.equals(repo.pendingRead)) {
            LOG.info(
                    "{}: {}: no read waits for {} (answered before, or superseded)",
                    RULE,
                    event.repo(),
                    id);
            return;
        }
        String path = repo.pendingPath;
        String cause = repo.pendingCause;
        repo.pendingRead = null;
        repo.pendingPath = null;
        repo.pendingCause = null;
        String outcome = e.path("outcome").asText();
        if ("read".equals(outcome) && e.path("result").path("text").isTextual()) {
            String text = e.path("result").path("text").asText();
            Codeowners parsed = Codeowners.parse(text);
            if (!parsed.skipped().isEmpty()) {
                codeownersInvalidLines.inc(parsed.skipped().size());
                LOG.warn(
                        "{}: {}'s {} has invalid lines {} (skipped, as GitHub skips them)",
                        RULE,
                        event.repo(),
                        path,
                        parsed.skipped());
            }
            repo.codeowners = text;
            repo.codeownersPath = path;
            LOG.info(
                    "{}: {}: CODEOWNERS read from {}: users {}",
                    RULE,
                    event.repo(),
                    path,
                    parsed.users());
            return;
        }
        if ("failed".equals(outcome) && e.path("status").asInt() == 404) {
            int next = Codeowners.LOCATIONS.indexOf(path) + 1;
            if (next > 0 && next < Codeowners.LOCATIONS.size()) {
                ask(event, out, repo, next, cause);
                return;
            }
            repo.codeowners = null;
            repo.codeownersPath = null;
            LOG.info("{}: {} has no CODEOWNERS: candidates are the policy's", RULE, event.repo());
            return;
        }
        // anything else (refused, rate limited past its expiry): keep what was known, ask again
        // on the next push that touches it
        LOG.warn(
                "{}: {}: reading {} did not succeed ({} {}): the CODEOWNERS known before stays",
                RULE,
                event.repo(),
                path,
                outcome,
                e.path("error").asText(""));
    }

    private void onPush(
            GitHubEvent event,
            Collector<ActionRecord> out,
            Loaded s,
            Repo repo,
            Routing routing,
            RepoPolicy policy)
            throws Exception {
        JsonNode payload = event.payload();
        if (repo.defaultBranch == null
                || !("refs/heads/" + repo.defaultBranch).equals(payload.path("ref").asText())) {
            return;
        }
        boolean codeownersTouched = false;
        long at = event.occurredAt().toEpochMilli();
        for (JsonNode commit : payload.path("commits")) {
            for (String list : List.of("added", "modified", "removed")) {
                for (JsonNode file : commit.path(list)) {
                    codeownersTouched |= Codeowners.LOCATIONS.contains(file.asText());
                }
            }
            String login =
                    commit.path("author").path("username").asText("").toLowerCase(Locale.ROOT);
            if (person(login, "", policy)) {
                Person p = s.person(login);
                learn(p, event.repo() + "|*", 1, at, routing);
                p.lastActive = Math.max(p.lastActive, at);
            }
        }
        if (codeownersTouched && routing.codeowners()) {
            String after = payload.path("after").asText(event.eventId());
            ask(event, out, repo, 0, "push:" + after);
        }
    }

    // ---------------------------------------------------------------- items

    private void onIssue(
            GitHubEvent event,
            Collector<ActionRecord> out,
            Loaded s,
            Repo repo,
            Routing routing,
            RepoPolicy policy)
            throws Exception {
        JsonNode issue = event.payload().path("issue");
        long number = issue.path("number").asLong();
        if (number <= 0) {
            return;
        }
        String ref = event.repo() + "#" + number;
        String action = event.action() == null ? "" : event.action();
        switch (action) {
            case "assigned" -> held(s, ref, event.payload().path("assignee"), event, policy, true);
            case "unassigned" ->
                    held(s, ref, event.payload().path("assignee"), event, policy, false);
            case "closed" -> closed(s, ref);
            case "opened", "reopened", "labeled", "edited" -> {
                if (!routing.assignIssues()
                        || !"open".equals(issue.path("state").asText("open"))
                        || issue.path("assignees").size() > 0) {
                    return;
                }
                Optional<List<String>> known = labelsOrSkip(event, RULE);
                if (known.isEmpty()) {
                    return;
                }
                List<String> labels = triaged(known.get(), policy);
                if (labels.isEmpty()) {
                    return; // not triaged yet: no label, or only the one saying it needs triage
                }
                Item item = s.item(ref);
                item.author = GitHubPayloads.author(event);
                if (!item.routed) {
                    route(event, out, s, repo, routing, policy, ref, number, item, labels, false);
                }
            }
            default -> {}
        }
    }

    private void onPull(
            GitHubEvent event,
            Collector<ActionRecord> out,
            Loaded s,
            Repo repo,
            Routing routing,
            RepoPolicy policy)
            throws Exception {
        JsonNode pr = event.payload().path("pull_request");
        long number = pr.path("number").asLong();
        if (number <= 0) {
            return;
        }
        String ref = event.repo() + "#" + number;
        String action = event.action() == null ? "" : event.action();
        switch (action) {
            case "assigned" -> held(s, ref, event.payload().path("assignee"), event, policy, true);
            case "unassigned" ->
                    held(s, ref, event.payload().path("assignee"), event, policy, false);
            case "review_requested" ->
                    held(s, ref, event.payload().path("requested_reviewer"), event, policy, true);
            case "review_request_removed" ->
                    held(s, ref, event.payload().path("requested_reviewer"), event, policy, false);
            case "closed" -> {
                if (pr.path("merged").asBoolean(false)) {
                    merged(event, pr, s, repo, routing, policy);
                }
                closed(s, ref);
            }
            case "opened", "reopened", "ready_for_review" -> {
                if (!routing.requestReviewers()
                        || pr.path("draft").asBoolean(false)
                        || pr.path("requested_reviewers").size() > 0) {
                    return;
                }
                Optional<List<String>> labels = labelsOrSkip(event, RULE);
                if (labels.isEmpty()) {
                    return;
                }
                Item item = s.item(ref);
                item.author = GitHubPayloads.author(event);
                if (!item.routed) {
                    route(
                            event,
                            out,
                            s,
                            repo,
                            routing,
                            policy,
                            ref,
                            number,
                            item,
                            triaged(labels.get(), policy),
                            true);
                }
            }
            default -> {}
        }
    }

    private void merged(
            GitHubEvent event, JsonNode pr, Loaded s, Repo repo, Routing routing, RepoPolicy policy)
            throws Exception {
        JsonNode user = pr.path("user");
        String author = user.path("login").asText("").toLowerCase(Locale.ROOT);
        if (!person(author, user.path("type").asText(""), policy)) {
            return;
        }
        long at = event.occurredAt().toEpochMilli();
        Person p = s.person(author);
        p.merged++;
        p.lastActive = Math.max(p.lastActive, at);
        for (String label : GitHubPayloads.labels(event)) {
            learn(p, event.repo() + "|label:" + label.toLowerCase(Locale.ROOT), 1, at, routing);
        }
        learn(p, event.repo() + "|*", 1, at, routing);
        String title = pr.path("title").asText("");
        Matcher revert = REVERT.matcher(title);
        if (revert.matches()) {
            String reverted = repo.mergedTitles.remove(revert.group(1));
            if (reverted != null) {
                s.person(reverted).reverted++;
            }
        }
        if (!title.isEmpty()) {
            repo.mergedTitles.remove(title);
            repo.mergedTitles.put(title, author);
            Iterator<String> oldest = repo.mergedTitles.keySet().iterator();
            while (repo.mergedTitles.size() > RoutingState.MERGED_KEPT) {
                oldest.next();
                oldest.remove();
            }
        }
    }

    private void onReview(GitHubEvent event, Loaded s, RepoPolicy policy) throws Exception {
        if (!"submitted".equals(event.action())) {
            return;
        }
        JsonNode user = event.payload().path("review").path("user");
        String login = user.path("login").asText("").toLowerCase(Locale.ROOT);
        if (!person(login, user.path("type").asText(""), policy)) {
            return;
        }
        long number = event.payload().path("pull_request").path("number").asLong();
        String ref = event.repo() + "#" + number;
        Person p = s.person(login);
        responded(p, ref, event.occurredAt().toEpochMilli());
        p.open.remove(ref); // GitHub removes the request when its reviewer reviews
        for (String label : GitHubPayloads.labels(event)) {
            learn(
                    p,
                    event.repo() + "|label:" + label.toLowerCase(Locale.ROOT),
                    0.5,
                    event.occurredAt().toEpochMilli(),
                    policy.routing());
        }
        learn(p, event.repo() + "|*", 0.5, event.occurredAt().toEpochMilli(), policy.routing());
    }

    private void onComment(GitHubEvent event, Loaded s, RepoPolicy policy) throws Exception {
        if (!"created".equals(event.action())) {
            return;
        }
        JsonNode user = event.payload().path("comment").path("user");
        String login = user.path("login").asText("").toLowerCase(Locale.ROOT);
        if (!person(login, user.path("type").asText(""), policy)) {
            return;
        }
        long number = event.payload().path("issue").path("number").asLong();
        responded(s.person(login), event.repo() + "#" + number, event.occurredAt().toEpochMilli());
    }

    /** {@code user} now holds the item (assigned, asked to review), or no longer does. */
    private void held(
            Loaded s,
            String ref,
            JsonNode user,
            GitHubEvent event,
            RepoPolicy policy,
            boolean holds)
            throws Exception {
        String login = user.path("login").asText("").toLowerCase(Locale.ROOT);
        if (!person(login, user.path("type").asText(""), policy)) {
            return;
        }
        Person p = s.person(login);
        Item item = s.item(ref);
        if (holds) {
            if (!p.open.contains(ref)) {
                p.open.add(ref);
            }
            p.waiting.putIfAbsent(ref, event.occurredAt().toEpochMilli());
            if (!item.holders.contains(login)) {
                item.holders.add(login);
            }
        } else {
            p.open.remove(ref);
            p.waiting.remove(ref);
            item.holders.remove(login);
        }
    }

    /** The item's life ends: its holders no longer hold it, its state goes. */
    private void closed(Loaded s, String ref) throws Exception {
        Item item = s.item(ref);
        for (String login : item.holders) {
            Person p = s.person(login);
            p.open.remove(ref);
            p.waiting.remove(ref);
        }
        s.drop(ref);
    }

    /** A first response by someone the item waited for: a sample of their response time. */
    private static void responded(Person p, String ref, long at) {
        p.lastActive = Math.max(p.lastActive, at);
        Long since = p.waiting.remove(ref);
        if (since != null && at >= since) {
            p.responses.add(at - since);
            while (p.responses.size() > RoutingState.RESPONSES_KEPT) {
                p.responses.remove(0);
            }
        }
    }

    private static void learn(Person p, String key, double amount, long at, Routing routing) {
        Weight w = p.expertise.get(key);
        if (w == null) {
            p.expertise.put(key, new Weight(amount, at));
            return;
        }
        Instant now = Instant.ofEpochMilli(Math.max(at, w.at));
        w.value = RoutingScores.decayed(w, routing.expertiseHalfLife(), now) + amount;
        w.at = now.toEpochMilli();
    }

    /** The item's labels but the one the triage rule puts on items that wait for triage. */
    private static List<String> triaged(List<String> labels, RepoPolicy policy) {
        List<String> kept = new ArrayList<>();
        for (String label : labels) {
            if (!label.equalsIgnoreCase(policy.triage().label())) {
                kept.add(label);
            }
        }
        return kept;
    }

    /** Whether {@code login} is a person whose work counts: not empty, not a bot, not ignored. */
    private static boolean person(String login, String type, RepoPolicy policy) {
        return !login.isEmpty()
                && !io.repostream.schemas.Accounts.isBot(login, type)
                && !Accounts.ignored(policy, login);
    }

    // ---------------------------------------------------------------- choosing

    /** The first choice for an item: nobody is being replaced. */
    private void route(
            GitHubEvent event,
            Collector<ActionRecord> out,
            Loaded s,
            Repo repo,
            Routing routing,
            RepoPolicy policy,
            String ref,
            long number,
            Item item,
            List<String> labels,
            boolean review)
            throws Exception {
        route(event, out, s, repo, routing, policy, ref, number, item, labels, review, List.of());
    }

    /**
     * Chooses the best candidate for {@code ref}, passing over {@code replacing} (the holders a
     * reassignment hands it on from; empty for a first choice).
     */
    private void route(
            GitHubEvent event,
            Collector<ActionRecord> out,
            Loaded s,
            Repo repo,
            Routing routing,
            RepoPolicy policy,
            String ref,
            long number,
            Item item,
            List<String> labels,
            boolean review,
            List<String> replacing)
            throws Exception {
        Set<String> owners =
                routing.codeowners() && repo.codeowners != null
                        ? Codeowners.parse(repo.codeowners).users()
                        : Set.of();
        Set<String> candidates = new LinkedHashSet<>();
        routing.candidates().forEach(c -> candidates.add(c.login().toLowerCase(Locale.ROOT)));
        candidates.addAll(owners);
        List<String> eligible = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, Person> people = new HashMap<>();
        for (String login : candidates) {
            if (replacing.contains(login)) {
                skipped.add("@" + login + ": holds it and has not answered");
            } else if (login.equals(item.author)) {
                skippedAuthor.inc();
                skipped.add("@" + login + ": the author");
            } else if (!person(login, "", policy)) {
                skippedBot.inc();
                skipped.add("@" + login + ": a bot or ignored");
            } else if (s.person(login).open.size() >= routing.maxOpenAssignments()) {
                skippedCap.inc();
                skipped.add(
                        "@"
                                + login
                                + ": "
                                + s.person(login).open.size()
                                + " open (max_open_assignments "
                                + routing.maxOpenAssignments()
                                + ")");
            } else {
                eligible.add(login);
                people.put(login, s.person(login));
            }
        }
        if (!skipped.isEmpty()) {
            LOG.debug("{}: {}: skipped {}", RULE, ref, skipped);
        }
        if (eligible.isEmpty()) {
            noCandidate.inc();
            LOG.info(
                    "{}: {}: nobody to {} ({} candidates; skipped: {})",
                    RULE,
                    ref,
                    review ? "review it" : "assign",
                    candidates.size(),
                    skipped);
            return;
        }
        List<Score> ranked =
                RoutingScores.rank(
                        eligible,
                        people,
                        routing,
                        event.repo(),
                        labels,
                        owners,
                        event.occurredAt());
        Score best = ranked.get(0);
        List<String> evidence = new ArrayList<>();
        for (int i = 0; i < Math.min(5, ranked.size()); i++) {
            evidence.add(ranked.get(i).explain(routing.weights()));
        }
        skipped.forEach(why -> evidence.add("skipped " + why));
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.putArray(review ? "reviewers" : "assignees").add(best.login());
        boolean reassign = !replacing.isEmpty();
        String reason =
                (reassign ? "re" : "")
                        + (review ? "review of " : "assignment of ")
                        + ref
                        + (reassign
                                ? " (no answer from " + mentions(replacing) + " by the SLA warning)"
                                : "")
                        + ": "
                        + best.explain(routing.weights())
                        + ", best of "
                        + ranked.size()
                        + (owners.contains(best.login()) ? " (a code owner)" : "");
        out.collect(
                new ActionRecord(
                        RULE
                                + ":"
                                + ref
                                + (reassign ? ":reassign" : "")
                                + (review ? ":review@" : ":assign@")
                                + event.occurredAt(),
                        event.repo(),
                        number,
                        review ? ActionType.REQUEST_REVIEWERS : ActionType.ADD_ASSIGNEES,
                        params,
                        reason,
                        evidence,
                        best.total(),
                        RULE,
                        List.of(event.eventId()),
                        event.installationId(),
                        event.occurredAt(),
                        null,
                        null,
                        policy.dryRun()));
        (review ? reviewRequests : assignments).inc();
        item.routed = true;
        item.labels = new ArrayList<>(labels);
        if (reassign) {
            handOver(event, out, s, policy, ref, number, item, review, replacing, best.login());
        }
        if (routing.mode() != Mode.SHADOW && !policy.dryRun()) {
            // counted now: the assigned/review_requested event that follows adds nothing more
            Person p = s.person(best.login());
            if (!p.open.contains(ref)) {
                p.open.add(ref);
            }
            p.waiting.putIfAbsent(ref, event.occurredAt().toEpochMilli());
            if (!item.holders.contains(best.login())) {
                item.holders.add(best.login());
            }
        }
    }

    // ---------------------------------------------------------------- SLA warnings

    /**
     * The SLA rule warns that an item's deadline nears ({@link SlaDeadlineFunction#WARNINGS}): with
     * {@code reassign_on_sla_warning}, an item this rule chose someone for, whose holders have not
     * answered on it since (no comment, no review), goes to the next best candidate, once, with a
     * comment. Anyone who answered, or an item the rule never routed, keeps things as they are.
     */
    private void onSlaWarning(
            GitHubEvent event,
            Collector<ActionRecord> out,
            Loaded s,
            Repo repo,
            Routing routing,
            RepoPolicy policy)
            throws Exception {
        if (!routing.reassignOnSlaWarning()) {
            return;
        }
        boolean review = event.payload().has("pull_request");
        long number =
                event.payload().path(review ? "pull_request" : "issue").path("number").asLong();
        String ref = event.repo() + "#" + number;
        if (!state.contains(RoutingState.item(ref))) {
            return; // never seen open by the rule, or closed since
        }
        Item item = s.item(ref);
        if (!item.routed || item.reassigned || item.holders.isEmpty()) {
            return;
        }
        List<String> silent = new ArrayList<>();
        for (String login : item.holders) {
            if (s.person(login).waiting.containsKey(ref)) {
                silent.add(login);
            }
        }
        if (silent.size() < item.holders.size()) {
            return; // someone who holds it has answered: they are on it
        }
        item.reassigned = true; // once, whether or not someone else can take it
        reassignments.inc();
        LOG.info(
                "{}: {}: SLA {} warning and no answer from {}: handing it on",
                RULE,
                ref,
                event.action(),
                mentions(silent));
        route(event, out, s, repo, routing, policy, ref, number, item, item.labels, review, silent);
    }

    /**
     * After the choice of a reassignment: the silent holders lose the issue (a pull request's
     * review request stays: there is no action to withdraw one) and a comment says why.
     */
    private void handOver(
            GitHubEvent event,
            Collector<ActionRecord> out,
            Loaded s,
            RepoPolicy policy,
            String ref,
            long number,
            Item item,
            boolean review,
            List<String> replacing,
            String chosen)
            throws Exception {
        String stem = RULE + ":" + ref + ":reassign@" + event.occurredAt();
        String reason =
                "reassignment of "
                        + ref
                        + ": no answer from "
                        + mentions(replacing)
                        + " by the SLA "
                        + event.action()
                        + " warning; @"
                        + chosen
                        + " takes it";
        if (!review) {
            ObjectNode params = JsonNodeFactory.instance.objectNode();
            replacing.forEach(params.putArray("assignees")::add);
            out.collect(
                    action(
                            stem + ":unassign",
                            event,
                            number,
                            ActionType.REMOVE_ASSIGNEES,
                            params,
                            reason,
                            policy));
        }
        String due = event.payload().path(SlaDeadlineFunction.WARNING_FIELD).path("due").asText();
        ObjectNode comment = JsonNodeFactory.instance.objectNode();
        comment.put(
                "body",
                "The "
                        + event.action()
                        + " target of this "
                        + (review ? "pull request" : "issue")
                        + " is due "
                        + due
                        + " and "
                        + mentions(replacing)
                        + (replacing.size() == 1 ? " has" : " have")
                        + " not answered yet, so @"
                        + chosen
                        + (review ? " is asked to review it" : " takes it over")
                        + ". (Handed on once; reply here if that is wrong.)");
        out.collect(
                action(
                        stem + ":comment",
                        event,
                        number,
                        ActionType.CREATE_COMMENT,
                        comment,
                        reason,
                        policy));
        if (policy.routing().mode() != Mode.SHADOW && !policy.dryRun() && !review) {
            for (String login : replacing) {
                Person p = s.person(login);
                p.open.remove(ref);
                p.waiting.remove(ref);
                item.holders.remove(login);
            }
        }
    }

    private static ActionRecord action(
            String id,
            GitHubEvent cause,
            long number,
            ActionType type,
            ObjectNode params,
            String reason,
            RepoPolicy policy) {
        return new ActionRecord(
                id,
                cause.repo(),
                number,
                type,
                params,
                reason,
                List.of("event " + cause.eventId() + ": " + cause.qualifiedType()),
                1.0,
                RULE,
                List.of(cause.eventId()),
                cause.installationId(),
                cause.occurredAt(),
                null,
                null,
                policy.dryRun());
    }

    private static String mentions(List<String> logins) {
        return String.join(", ", logins.stream().map(l -> "@" + l).toList());
    }

    /** Choices made so far, for tests. */
    public long assignments() {
        return assignments.getCount() + reviewRequests.getCount();
    }

    /** Candidates skipped so far for being at their cap, for tests. */
    public long skippedForCap() {
        return skippedCap.getCount();
    }

    /** Items for which nobody could be chosen so far, for tests. */
    public long withoutCandidate() {
        return noCandidate.getCount();
    }
}

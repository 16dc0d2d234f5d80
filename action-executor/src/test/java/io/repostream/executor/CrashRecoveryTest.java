package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.executor.handlers.CreateCommentHandler;
import io.repostream.executor.support.Actions;
import io.repostream.executor.support.ExecutorConfigs;
import io.repostream.executor.support.ExecutorProcess;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.TargetState;
import io.repostream.testkit.github.CommentView;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most once across crashes: an attempt that died between its snapshot and its audit is
 * recognised on GitHub, and an executor killed with SIGKILL again and again loses nothing and
 * mutates nothing twice.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CrashRecoveryTest {
    private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryTest.class);
    private static final String REPO = "acme/crashes";

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private static KafkaTopics topics;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
        github.removeLimits();
        github.createRepo(REPO);
        topics = new KafkaTopics(kafka);
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    private static ExecutorConfig config(String group) {
        return ExecutorConfigs.forSimulator(kafka, github, group);
    }

    private static Snapshot snapshotOf(ActionRecord action, TargetState before) {
        return new Snapshot(
                action.actionId(),
                action.repo(),
                action.target(),
                action.type(),
                action.producedBy(),
                Instant.now(),
                before);
    }

    @Test
    void findsItsOwnCommentFromAnAttemptThatCrashedAndPostsNoSecond() {
        int number = github.createIssue(REPO, "Crashed comment", "", "alice");
        ActionRecord action =
                Actions.of(
                        ActionType.CREATE_COMMENT,
                        REPO,
                        number,
                        Actions.params().put("body", "Closing as stale."));
        // what a crash right after GitHub created the comment leaves behind: the snapshot and the
        // comment, but no audit record and no committed offset
        topics.send(snapshotOf(action, TargetState.issue("open", List.of(), List.of())));
        long earlier =
                github.commentAsHuman(
                        REPO,
                        number,
                        GitHubSimulator.DEFAULT_LOGIN,
                        "Closing as stale.\n\n" + CreateCommentHandler.marker(action.actionId()));
        github.clearMutations();

        try (ActionExecutor executor = ActionExecutor.start(config("crash-comment"))) {
            topics.send(action);
            AuditRecord audit =
                    topics.awaitAudit(
                            action.actionId(), AuditOutcome.APPLIED, Duration.ofSeconds(30));
            assertThat(audit.after().commentId()).isEqualTo(earlier);
            assertThat(audit.error()).contains("earlier attempt");
        }
        assertThat(github.comments(REPO, number)).hasSize(1);
        assertThat(github.mutations()).noneMatch(m -> m.startsWith(REPO + "#" + number + ":"));
    }

    @Test
    void postsItsCommentWhenOnlyAPersonQuotedItsMarkerAfterAnAttemptThatCrashed() {
        int number = github.createIssue(REPO, "Quoted marker", "", "alice");
        ActionRecord action =
                Actions.of(
                        ActionType.CREATE_COMMENT,
                        REPO,
                        number,
                        Actions.params().put("body", "Closing as stale."));
        // a crash left a snapshot but no comment; a person then quoted a comment of ours that
        // carried this marker (a quote reply copies the raw text, hidden marker included)
        topics.send(snapshotOf(action, TargetState.issue("open", List.of(), List.of())));
        long quote =
                github.commentAsHuman(
                        REPO,
                        number,
                        "alice",
                        "> Closing as stale.\n> "
                                + CreateCommentHandler.marker(action.actionId())
                                + "\n\nPlease don't!");

        try (ActionExecutor executor = ActionExecutor.start(config("crash-quoted"))) {
            topics.send(action);
            AuditRecord audit =
                    topics.awaitAudit(
                            action.actionId(), AuditOutcome.APPLIED, Duration.ofSeconds(30));
            assertThat(audit.after().commentId()).isNotEqualTo(quote);
            assertThat(github.comments(REPO, number))
                    .extracting(c -> c.author() + ":" + c.id())
                    .containsExactly(
                            "alice:" + quote,
                            GitHubSimulator.DEFAULT_LOGIN + ":" + audit.after().commentId());
        }
        assertThat(github.mutations())
                .filteredOn(m -> m.startsWith(REPO + "#" + number + ":"))
                .hasSize(1);
    }

    @Test
    void appliesAnActionWhoseEarlierAttemptCrashedBeforeTheMutationAndKeepsTheFirstSnapshot() {
        int number = github.createIssue(REPO, "Crashed before mutation", "", "alice");
        ActionRecord action = Actions.addLabels(REPO, number, "late");
        topics.send(snapshotOf(action, TargetState.issue("open", List.of(), List.of())));

        try (ActionExecutor executor = ActionExecutor.start(config("crash-label"))) {
            topics.send(action);
            AuditRecord audit =
                    topics.awaitAudit(
                            action.actionId(), AuditOutcome.APPLIED, Duration.ofSeconds(30));
            assertThat(audit.after().labels()).containsExactly("late");
            assertThat(audit.githubStatus()).isEqualTo(200);
        }
        assertThat(github.labels(REPO, number)).containsExactly("late");
        topics.drain(Duration.ofMillis(300));
        assertThat(topics.snapshots(action.actionId())).hasSize(1);
    }

    @Test
    void losesNothingAndMutatesNothingTwiceWhenKilledAtRandomPoints() throws IOException {
        int cycles = 10;
        int actionsCount = 10_000;
        int issues = 200;
        long seed = System.nanoTime();
        Random random = new Random(seed);
        LOG.info("crash test seed {}", seed);
        String repo = "acme/kill9";
        github.createRepo(repo);
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < issues; i++) {
            numbers.add(github.createIssue(repo, "Issue " + i, "", "alice"));
        }
        // every fifth action on an issue a comment, the one mutation GitHub would happily make
        // twice
        List<ActionRecord> actions = new ArrayList<>();
        for (int i = 0; i < actionsCount; i++) {
            int number = numbers.get(i % issues);
            actions.add(
                    (isComment(i, issues)
                                    ? Actions.builder(
                                            ActionType.CREATE_COMMENT,
                                            repo,
                                            number,
                                            Actions.params().put("body", "Comment " + i))
                                    : Actions.builder(
                                            ActionType.ADD_LABELS,
                                            repo,
                                            number,
                                            Actions.names("labels", "k-" + i)))
                            .id("kill9-" + i)
                            .build());
        }
        topics.sendAll(actions);

        Path tokenFile = Files.createTempFile("gh-token", ".txt");
        Files.writeString(tokenFile, GitHubSimulator.DEFAULT_TOKEN);
        Path log = Path.of("target", "crash-test-executor.log");
        List<String> args =
                List.of(
                        "--bootstrap-servers", kafka.bootstrapServers(),
                        "--github-api-url", github.baseUrl(),
                        "--github-token-file", tokenFile.toString(),
                        "--group-id", "kill9",
                        "--instance-id", "kill9-executor-0",
                        "--admin-port", "-1",
                        "--write-spacing", "PT0S",
                        "--content-creations-per-minute", "1000000",
                        "--content-creations-per-hour", "1000000");
        List<String> ids = actions.stream().map(ActionRecord::actionId).toList();
        for (int cycle = 1; cycle <= cycles; cycle++) {
            long appliedBefore = topics.countWith(ids, AuditOutcome.APPLIED);
            ExecutorProcess process = ExecutorProcess.start(args, log);
            // kill while it applies actions, not while the JVM boots: wait for its first one
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (topics.countWith(ids, AuditOutcome.APPLIED) == appliedBefore
                    && System.nanoTime() < deadline) {
                topics.drain(Duration.ofMillis(20));
            }
            long lifetime = random.nextInt(1500);
            topics.drain(Duration.ofMillis(lifetime));
            process.kill();
            LOG.info(
                    "cycle {}: killed {} ms into applying, {} of {} applied",
                    cycle,
                    lifetime,
                    topics.countWith(ids, AuditOutcome.APPLIED),
                    actionsCount);
        }
        try (ExecutorProcess last = ExecutorProcess.start(args, log)) {
            topics.awaitAudited(ids, Duration.ofSeconds(120));
        }

        // 0 lost: every action applied (an audit of the application exists)
        assertThat(topics.countWith(ids, AuditOutcome.APPLIED)).isEqualTo(actionsCount);

        // 0 duplicates, counted in the requests GitHub received: an action is applied by exactly
        // one request (an attempt cut short by a kill either sent it, and the next attempt finds
        // its effect, or did not, and the next attempt sends it), so every issue got exactly as
        // many label and comment requests as it has actions of each kind. The simulator records
        // a label only when it is missing, so its mutations alone could not show a second add.
        Map<String, Long> requests = github.requestCounts();
        for (int i = 0; i < issues; i++) {
            int number = numbers.get(i);
            long labelActions = 0;
            long commentActions = 0;
            for (int k = i; k < actionsCount; k += issues) {
                if (isComment(k, issues)) {
                    commentActions++;
                } else {
                    labelActions++;
                }
            }
            String issuePath = "POST /repos/" + repo + "/issues/" + number;
            assertThat(sent(requests, issuePath + "/labels "))
                    .as("label requests for issue %d (seed %d)", number, seed)
                    .isEqualTo(labelActions);
            assertThat(sent(requests, issuePath + "/comments "))
                    .as("comment requests for issue %d (seed %d)", number, seed)
                    .isEqualTo(commentActions);
        }

        // each comment on GitHub exactly once, and it is the one its audit names
        Map<String, List<CommentView>> byMarker = new HashMap<>();
        for (int number : numbers) {
            for (CommentView comment : github.comments(repo, number)) {
                int at = comment.body().indexOf("<!-- repostream:action_id=");
                assertThat(at).as("comment %d carries a marker", comment.id()).isNotNegative();
                byMarker.computeIfAbsent(comment.body().substring(at), m -> new ArrayList<>())
                        .add(comment);
            }
        }
        for (int i = 0; i < actionsCount; i++) {
            if (!isComment(i, issues)) {
                continue;
            }
            String actionId = "kill9-" + i;
            List<CommentView> found =
                    byMarker.getOrDefault(CreateCommentHandler.marker(actionId), List.of());
            assertThat(found).as("comments of %s (seed %d)", actionId, seed).hasSize(1);
            Long audited =
                    topics.audits(actionId).stream()
                            .filter(a -> a.outcome() == AuditOutcome.APPLIED)
                            .findFirst()
                            .orElseThrow()
                            .after()
                            .commentId();
            assertThat(audited)
                    .as("comment id audited for %s", actionId)
                    .isEqualTo(found.get(0).id());
        }

        Map<String, Long> mutations =
                github.mutations().stream()
                        .filter(m -> m.startsWith(repo + "#"))
                        .collect(
                                Collectors.groupingBy(
                                        m -> m.substring(m.indexOf(':') + 1),
                                        HashMap::new,
                                        Collectors.counting()));
        for (int i = 0; i < actionsCount; i++) {
            if (!isComment(i, issues)) {
                assertThat(mutations.get("+label:k-" + i))
                        .as("mutations adding k-%d (seed %d)", i, seed)
                        .isEqualTo(1L);
            }
        }
        assertThat(mutations.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(actionsCount);
        // and in order: an issue's actions are applied one after the other, across crashes too
        for (int i = 0; i < issues; i++) {
            List<String> inOrder = new ArrayList<>();
            for (int k = i; k < actionsCount; k += issues) {
                if (!isComment(k, issues)) {
                    inOrder.add("k-" + k);
                }
            }
            assertThat(github.labels(repo, numbers.get(i)))
                    .as("labels of issue %d in the order they were added (seed %d)", i, seed)
                    .containsExactlyElementsOf(inOrder);
        }
    }

    /** Action {@code index} (on issue {@code index % issues}) is a comment every fifth time. */
    private static boolean isComment(int index, int issues) {
        return (index / issues) % 5 == 0;
    }

    /** Requests whose log line starts with {@code prefix}, whatever their status. */
    private static long sent(Map<String, Long> requests, String prefix) {
        return requests.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }
}

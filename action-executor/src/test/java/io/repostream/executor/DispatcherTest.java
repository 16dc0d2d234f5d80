package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.github.GitHubClient;
import io.repostream.executor.github.GitHubResult;
import io.repostream.executor.github.RequestGate;
import io.repostream.executor.github.RestGitHubClient;
import io.repostream.executor.handlers.ActionHandler;
import io.repostream.executor.handlers.AddLabelsHandler;
import io.repostream.executor.handlers.CloseIssueHandler;
import io.repostream.executor.handlers.Handlers;
import io.repostream.executor.handlers.Mutation;
import io.repostream.executor.handlers.UndoPlan;
import io.repostream.executor.ledger.Ledger;
import io.repostream.executor.ledger.RecordWriter;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.executor.policy.PolicyStore;
import io.repostream.executor.support.Actions;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.TargetState;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One handler's bug is audited and counted, and the next action is handled as usual. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DispatcherTest {

    /** A handler with a bug: it fails before it could talk to GitHub. */
    private static final class BrokenHandler implements ActionHandler<GitHubClient> {
        @Override
        public ActionType type() {
            return ActionType.ADD_LABELS;
        }

        @Override
        public AppPermission permission() {
            return AppPermission.ISSUES_WRITE;
        }

        @Override
        public void validate(ActionRecord action) {}

        @Override
        public GitHubResult<TargetState> read(GitHubClient github, String repo, long target) {
            throw new IllegalStateException("bug in the handler");
        }

        @Override
        public TargetState intended(TargetState before, ActionRecord action) {
            return before;
        }

        @Override
        public Optional<TargetState> existingEffect(
                GitHubClient github,
                ActionRecord action,
                TargetState before,
                TargetState current,
                boolean earlierAttempt) {
            return Optional.empty();
        }

        @Override
        public Mutation apply(GitHubClient github, ActionRecord action, TargetState before) {
            throw new IllegalStateException("never reached");
        }

        @Override
        public UndoPlan<GitHubClient> planUndo(
                String repo,
                long target,
                TargetState before,
                TargetState after,
                TargetState current) {
            return new UndoPlan.NothingToUndo<>("nothing");
        }
    }

    @Test
    void isolatesAFailingHandlerAuditsItAndCountsIt() {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            kafka.createTopics(Topics.all());
            ExecutorConfig config =
                    ExecutorConfig.defaults(kafka.bootstrapServers(), "http://127.0.0.1:9", "t");
            ExecutorMetrics metrics = new ExecutorMetrics();
            Ledger ledger = new Ledger();
            try (RecordWriter writer =
                    new RecordWriter(kafka.bootstrapServers(), "dispatcher-test", ledger)) {
                ActionProcessor processor =
                        new ActionProcessor(
                                new RestGitHubClient(
                                        config, new RequestGate(config, metrics), metrics),
                                new Handlers(List.of(new BrokenHandler(), new CloseIssueHandler())),
                                ledger,
                                new PolicyStore(),
                                writer,
                                metrics,
                                () -> false,
                                ActionProcessor.KilledRules.NONE,
                                Clock.systemUTC(),
                                null,
                                null);

                AuditRecord broken = processor.process(Actions.addLabels("acme/bugs", 1, "bug"));
                assertThat(broken.outcome()).isEqualTo(AuditOutcome.FAILED);
                assertThat(broken.error())
                        .contains("handler failed on acme/bugs#1")
                        .contains("bug in the handler");
                assertThat(metrics.handlerFailureCount(ActionType.ADD_LABELS, "acme/bugs"))
                        .isEqualTo(1.0);

                ActionRecord next =
                        Actions.builder(ActionType.CLOSE_ISSUE, "acme/bugs", 2, Actions.params())
                                .expiresAt(Instant.now().minusSeconds(1))
                                .build();
                assertThat(processor.process(next).outcome())
                        .isEqualTo(AuditOutcome.SKIPPED_EXPIRED);
                assertThat(
                                metrics.actionCount(
                                        ActionType.ADD_LABELS, "acme/bugs", AuditOutcome.FAILED))
                        .isEqualTo(1.0);
                assertThat(ledger.decided(broken.actionId())).isTrue();
            }
        }
    }

    @Test
    void refusesTwoHandlersForOneType() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new Handlers(List.of(new AddLabelsHandler(), new BrokenHandler())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add_labels");
    }
}

package io.repostream.executor;

import io.repostream.executor.control.ControlState;
import io.repostream.executor.github.GitHubClient;
import io.repostream.executor.github.RequestGate;
import io.repostream.executor.github.RestGitHubClient;
import io.repostream.executor.handlers.Handlers;
import io.repostream.executor.ledger.Ledger;
import io.repostream.executor.ledger.RecordWriter;
import io.repostream.executor.ledger.TopicTail;
import io.repostream.executor.metrics.ExecutorMetrics;
import io.repostream.executor.notify.NotificationProcessor;
import io.repostream.executor.policy.PolicyStore;
import io.repostream.executor.reads.EnrichmentWriter;
import io.repostream.executor.reads.ReadBacklog;
import io.repostream.executor.reads.ReadCache;
import io.repostream.executor.reads.ReadMetrics;
import io.repostream.executor.reads.ReadProcessor;
import io.repostream.executor.rollback.RollbackService;
import io.repostream.schemas.ActionType;
import java.time.Clock;

/**
 * Builds the executor's object graph from its configuration: metrics, the ledger and the policies
 * it follows, the kill switch, the GitHub client behind its rate gate, the handlers, the Kafka
 * writer and tail, the processor and the rollback service. {@link ActionExecutor} only runs the
 * consume loop over what this built, so a test can hand it a GitHub client of its own (a different
 * {@link io.repostream.executor.github.GitHubHttp} stack, say) and run exactly the production graph
 * otherwise.
 */
public final class ExecutorWiring {

    /** Makes the GitHub client, given the gate and metrics the rest of the graph uses. */
    @FunctionalInterface
    public interface GitHubFactory {
        GitHubClient create(ExecutorConfig config, RequestGate gate, ExecutorMetrics metrics);
    }

    final ExecutorMetrics metrics = new ExecutorMetrics();
    final Ledger ledger = new Ledger();
    final PolicyStore policies = new PolicyStore();
    final ControlState control;
    final RequestGate gate;
    final GitHubClient github;
    final Handlers handlers = Handlers.standard();
    final TopicTail tail;
    final RecordWriter writer;
    final ReadBacklog readBacklog = new ReadBacklog(Clock.systemUTC());
    final EnrichmentWriter enrichment;
    final ReadProcessor reads;
    final NotificationProcessor notifications;
    final ActionProcessor processor;
    final RollbackService rollbacks;

    private ExecutorWiring(ExecutorConfig config, GitHubFactory gitHub) {
        this.control = new ControlState(config.killSwitch());
        metrics.ruleKillSwitches(
                () -> (int) control.rules().values().stream().filter(c -> c.killSwitch()).count());
        // every refusal series exists at 0 from the start, so its alert can see the first one
        for (ActionType type : ActionType.values()) {
            if (type.read() || type.notification()) {
                continue; // no GitHub permission
            }
            metrics.permissionRefusalsKnown(type, handlers.of(type).permission().toString());
        }
        this.gate = new RequestGate(config, metrics);
        this.github = gitHub.create(config, gate, metrics);
        this.tail = new TopicTail(config.kafkaClient(), ledger, policies, control);
        this.writer = new RecordWriter(config.kafkaClient(), config.groupId() + "-writer", ledger);
        this.enrichment =
                new EnrichmentWriter(
                        config.kafkaClient(),
                        config.groupId()
                                + "-reads-"
                                + (config.instanceId() != null
                                        ? config.instanceId()
                                        : java.util.UUID.randomUUID().toString()),
                        ledger);
        this.reads =
                new ReadProcessor(
                        github,
                        ReadProcessor.standardHandlers(),
                        new ReadCache(ReadProcessor.CACHE_CAPACITY),
                        enrichment,
                        new ReadMetrics(metrics.registry(), readBacklog),
                        control::killSwitchOn,
                        Clock.systemUTC());
        this.notifications =
                new NotificationProcessor(
                        config.notifications(), ledger, writer, metrics, Clock.systemUTC());
        this.processor =
                new ActionProcessor(
                        github,
                        handlers,
                        ledger,
                        policies,
                        writer,
                        metrics,
                        control::killSwitchOn,
                        rule -> {
                            var killed = control.rule(rule).filter(c -> c.killSwitch());
                            killed.ifPresent(c -> metrics.ruleKillSwitchKnown(rule));
                            return killed.map(c -> why(c));
                        },
                        Clock.systemUTC(),
                        reads,
                        notifications);
        this.rollbacks =
                new RollbackService(
                        github,
                        handlers,
                        ledger,
                        writer,
                        metrics,
                        Clock.systemUTC(),
                        notifications);
    }

    /** Why a switch is on, for the audit records: the reason, who and when. */
    private static String why(io.repostream.schemas.ExecutorControl c) {
        return (c.reason() == null ? "no reason given" : c.reason())
                + " (set by "
                + c.setBy()
                + " at "
                + c.at()
                + ")";
    }

    /** The graph of {@code config}: GitHub over REST with its token or GitHub App. */
    public static ExecutorWiring of(ExecutorConfig config) {
        return of(config, RestGitHubClient::new);
    }

    /** The graph of {@code config} with the GitHub client {@code gitHub} makes. */
    public static ExecutorWiring of(ExecutorConfig config, GitHubFactory gitHub) {
        return new ExecutorWiring(config, gitHub);
    }

    public ExecutorMetrics metrics() {
        return metrics;
    }

    public GitHubClient github() {
        return github;
    }
}

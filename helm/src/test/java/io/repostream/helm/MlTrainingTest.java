package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class MlTrainingTest {
    @Test
    void retrainsOnTheScheduleFromTheTrainingTopicOneRunAtATime() {
        CronJob cronJob =
                Chart.render(ValueSet.DEFAULTS, Map.of("mlTraining.schedule", "0 */6 * * *"))
                        .one(CronJob.class, "-ml-training");

        assertThat(cronJob.getSpec().getSchedule()).isEqualTo("0 */6 * * *");
        assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        var job = cronJob.getSpec().getJobTemplate().getSpec();
        assertThat(job.getActiveDeadlineSeconds()).isPositive();
        var container = job.getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getArgs())
                .containsSubsequence("--training-topic")
                .containsSubsequence(
                        "--bootstrap-servers", "repostream-kafka-bootstrap.kafka.svc:9092")
                .containsSubsequence("--model-name", "ci-success");
    }

    @Test
    void countsAKeptChampionAsSuccessAndDoesNotRetryBadInput() {
        var policy =
                Chart.render(ValueSet.DEFAULTS)
                        .one(CronJob.class, "-ml-training")
                        .getSpec()
                        .getJobTemplate()
                        .getSpec()
                        .getPodFailurePolicy();

        assertThat(policy.getRules())
                .singleElement()
                .satisfies(
                        rule -> {
                            assertThat(rule.getAction()).isEqualTo("FailJob");
                            assertThat(rule.getOnExitCodes().getValues()).containsExactly(2);
                        });
        var args =
                Chart.render(ValueSet.DEFAULTS)
                        .one(CronJob.class, "-ml-training")
                        .getSpec()
                        .getJobTemplate()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getArgs();
        assertThat(args).containsSubsequence("--exit-code-when-kept", "0");
    }

    @Test
    void passesNonSecretKafkaClientPropertiesAsTrainerOptions() {
        var container =
                Chart.render(ValueSet.PRODUCTION)
                        .one(CronJob.class, "-ml-training")
                        .getSpec()
                        .getJobTemplate()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0);

        assertThat(container.getArgs())
                .containsSubsequence("--kafka-property", "client.dns.lookup=use_all_dns_ips");
    }

    @Test
    void isLeftOutWhenDisabled() {
        assertThat(Chart.render(ValueSet.MINIMAL).of(CronJob.class)).isEmpty();
    }
}

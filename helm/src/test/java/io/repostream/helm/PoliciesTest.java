package io.repostream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.repostream.executor.policy.PolicyFiles;
import io.repostream.schemas.RepoPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policies in values become a ConfigMap that `policy apply` accepts, applied by a hook Job. */
class PoliciesTest {
    @TempDir Path tmp;

    @Test
    void rendersThePoliciesIntoAFileThePolicyCommandAccepts() throws Exception {
        Manifests manifests = Chart.render(ValueSet.PRODUCTION);
        ConfigMap config = manifests.one(ConfigMap.class, "-policies");
        Path file =
                Files.writeString(
                        tmp.resolve("policies.yaml"), config.getData().get("policies.yaml"));

        List<RepoPolicy> policies = PolicyFiles.read(List.of(file), Instant.EPOCH);

        assertThat(policies)
                .extracting(RepoPolicy::repo)
                .containsExactly("example-org/api", "example-org/no-webhooks");
        assertThat(policies.get(0).sla().escalateTo()).containsExactly("oncall-lead");
        assertThat(policies.get(0).sla().calendar().timeZone()).isEqualTo("Europe/Berlin");
        assertThat(policies.get(0).ci().risk().labelHighRisk()).isTrue();
        assertThat(policies.get(1).dryRun()).isTrue();
        // flat policies (no policy_version): the rules of the release before sections stay on
        for (RepoPolicy policy : policies) {
            for (String section : RepoPolicy.LEGACY_SECTIONS) {
                assertThat(policy.mode(section))
                        .as(policy.repo() + " " + section)
                        .isEqualTo(RepoPolicy.Mode.ON);
            }
        }
    }

    @Test
    void aJobNamedAfterTheirChecksumAppliesThemWithTheExecutorImage() {
        Job job = policiesJob(Chart.render(ValueSet.PRODUCTION));
        // other policies, another Job; the same policies, the same Job
        String changed =
                policiesJob(
                                Chart.render(
                                        ValueSet.PRODUCTION,
                                        java.util.Map.of("policies.items[1].dry_run", false)))
                        .getMetadata()
                        .getName();
        String same = policiesJob(Chart.render(ValueSet.PRODUCTION)).getMetadata().getName();

        assertThat(job.getMetadata().getName()).startsWith("repostream-policies-");
        assertThat(changed).isNotEqualTo(job.getMetadata().getName());
        assertThat(same).isEqualTo(job.getMetadata().getName());
        var pod = job.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getArgs())
                .containsExactly("policy", "apply", "/etc/repostream/policies/policies.yaml");
        assertThat(c.getImage()).contains("repostream-action-executor");
        assertThat(c.getVolumeMounts())
                .anySatisfy(
                        m -> assertThat(m.getMountPath()).isEqualTo("/etc/repostream/policies"));
        assertThat(c.getEnv())
                .anySatisfy(
                        e -> assertThat(e.getName()).isEqualTo("REPOSTREAM_KAFKA_PROPERTIES_FILE"));
        assertThat(
                        job.getSpec()
                                .getPodFailurePolicy()
                                .getRules()
                                .get(0)
                                .getOnExitCodes()
                                .getValues())
                .containsExactly(2);
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    }

    private static Job policiesJob(Manifests manifests) {
        return manifests.of(Job.class).stream()
                .filter(j -> j.getMetadata().getName().startsWith("repostream-policies-"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void rendersNothingWithoutPolicies() {
        Manifests minimal = Chart.render(ValueSet.MINIMAL);
        assertThat(minimal.of(Job.class)).isEmpty();
        assertThat(minimal.of(ConfigMap.class))
                .noneMatch(c -> c.getMetadata().getName().endsWith("-policies"));
    }
}

package io.repostream.executor.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.executor.ExecutorMain;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code policy check|apply|show} against files and a real broker. */
@Timeout(120)
class PolicyCommandTest {
    private static final String TWO_POLICIES =
            """
            policies:
              - repo: Acme/API
                triage_label: triage/new
                dry_run: true
                enabled_actions: [add_labels, create_comment, add_assignees]
                sla:
                  targets:
                    P0: {first_response: PT10M, resolution: PT8H}
                  warn_fraction: 0.5
                  business_hours_only: true
                  escalate_to: [oncall-lead]
                calendar:
                  time_zone: Europe/Berlin
                  working_days: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY]
                  start: "09:00"
                  end: "17:30"
                  holidays: [2026-12-25]
                ci_risk: {high: 0.6, label_high_risk: true}
              - repo: acme/web
                action_budget_per_hour: 50
            """;

    @TempDir static Path dir;

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaBroker.start();
        kafka.createTopics(List.of(Topics.CONFIG));
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = ExecutorMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void readsEveryFieldOfAYamlPolicyFile() throws Exception {
        List<RepoPolicy> policies =
                PolicyFiles.read(List.of(file("read.yaml", TWO_POLICIES)), java.time.Instant.EPOCH);

        assertThat(policies).extracting(RepoPolicy::repo).containsExactly("acme/api", "acme/web");
        RepoPolicy api = policies.get(0);
        assertThat(api.triage().label()).isEqualTo("triage/new");
        assertThat(api.dryRun()).isTrue();
        assertThat(api.enabledActions())
                .containsExactlyInAnyOrder(
                        ActionType.ADD_LABELS, ActionType.CREATE_COMMENT, ActionType.ADD_ASSIGNEES);
        assertThat(api.sla().targets().get("P0").firstResponse()).isEqualTo(Duration.ofMinutes(10));
        assertThat(api.sla().warnFraction()).isEqualTo(0.5);
        assertThat(api.sla().escalateTo()).containsExactly("oncall-lead");
        assertThat(api.sla().calendar().timeZone()).isEqualTo("Europe/Berlin");
        assertThat(api.sla().calendar().holidays()).containsExactly(LocalDate.of(2026, 12, 25));
        assertThat(api.ci().risk().high()).isEqualTo(0.6);
        assertThat(api.ci().risk().medium()).isEqualTo(0.3);
        assertThat(api.ci().risk().labelHighRisk()).isTrue();
        assertThat(policies.get(1).actionBudgetPerHour()).isEqualTo(50);
        assertThat(policies.get(1).ci().risk().labelHighRisk()).isFalse();
    }

    @Test
    void checkNamesTheFileThePolicyAndTheFieldOfEveryMistake() throws Exception {
        assertThat(run("policy", "check", file("ok.yaml", TWO_POLICIES).toString()))
                .satisfies(r -> assertThat(r.code()).isZero())
                .satisfies(r -> assertThat(r.out()).contains("2 valid policies"));

        Path typo = file("typo.yaml", "repo: acme/api\ndryrun: true\n");
        Run r = run("policy", "check", typo.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(typo + ": policy 1 (acme/api)").contains("dryrun");

        Path range =
                file("range.yaml", "- repo: acme/a\n- repo: acme/b\n  sla: {warn_fraction: 1.5}\n");
        r = run("policy", "check", range.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(range + ": policy 2 (acme/b)").contains("warn_fraction");

        Path order = file("order.yaml", "repo: acme/a\nci_risk: {medium: 0.8, high: 0.5}\n");
        r = run("policy", "check", order.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("medium <= high");

        Path regex =
                file(
                        "regex.yaml",
                        "repo: acme/a\nfailure_patterns: {transient: [\"(?<x>a)\\\\1\"]}\n");
        r = run("policy", "check", regex.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("failure_patterns.transient: not RE2 syntax");

        Path unknownClass = file("class.yaml", "repo: acme/a\nfailure_patterns: {weird: [x]}\n");
        r = run("policy", "check", unknownClass.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown class 'weird'");

        Path twice = file("twice.yaml", "- repo: acme/a\n- repo: ACME/a\n");
        r = run("policy", "check", twice.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("repeats").contains("policy 1");

        r = run("policy", "check", dir.resolve("missing.yaml").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("missing.yaml: no such file");
    }

    @Test
    void appliesAllOrNothingAndShowsWhatIsInForce() throws Exception {
        String servers = kafka.bootstrapServers();
        Path good = file("good.yaml", TWO_POLICIES);
        Path bad = file("bad.yaml", "repo: acme/other\naction_budget_per_hour: -1\n");

        Run refused =
                run(
                        "policy",
                        "apply",
                        "--bootstrap-servers",
                        servers,
                        good.toString(),
                        bad.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("action_budget_per_hour");
        assertThat(run("policy", "show", "--bootstrap-servers", servers).out())
                .contains("no policies");

        Run dry =
                run(
                        "policy",
                        "apply",
                        "--dry-run",
                        "--bootstrap-servers",
                        servers,
                        good.toString());
        assertThat(dry.out())
                .contains("would apply acme/api:")
                .contains("triage_label: \"triage/new\"");
        assertThat(run("policy", "show", "--bootstrap-servers", servers).out())
                .contains("no policies");

        Run applied = run("policy", "apply", "--bootstrap-servers", servers, good.toString());
        assertThat(applied.code()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("applied acme/api").contains("applied acme/web");

        Run shown = run("policy", "show", "--bootstrap-servers", servers, "--repo", "Acme/API");
        assertThat(shown.code()).isZero();
        assertThat(shown.out())
                .contains("repo: \"acme/api\"")
                .contains("label_high_risk: true")
                .contains("oncall-lead")
                .doesNotContain("acme/web");
        // what the job and the executor read: the topic's own codec accepts every record
        assertThat(kafka.consume(Topics.CONFIG, 2, Duration.ofSeconds(30)))
                .extracting(rec -> rec.value().repo())
                .containsExactly("acme/api", "acme/web");
    }
}

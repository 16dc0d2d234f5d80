package io.repostream.cli.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.handlers.Handlers;
import io.repostream.flink.rules.ActionPriority;
import io.repostream.flink.rules.Rule;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The App's permissions and events come from the rules' and handlers' declarations. */
class AppRequirementsTest {

    @Test
    void theTriageRuleAloneNeedsIssuesToWriteAndTheIssuesEvent() {
        AppRequirements needs = AppRequirements.forSections(List.of("triage"));

        // pull requests to write: the triage rule's /cc requests reviewers; contents to read,
        // checks to write, pushes and pull requests: the in-repo configuration, which every App
        // runs
        assertThat(levels(needs))
                .containsExactly(
                        Map.entry("checks", "write"),
                        Map.entry("contents", "read"),
                        Map.entry("issues", "write"),
                        Map.entry("metadata", "read"),
                        Map.entry("pull_requests", "write"));
        assertThat(needs.events().keySet()).containsExactly("issues", "pull_request", "push");
        assertThat(needs.permissions().get("checks").neededBy())
                .containsExactly("repo-config: create_check_run");
        assertThat(needs.permissions().get("contents").neededBy())
                .containsExactly("repo-config: event push", "repo-config: read_file");
        assertThat(needs.permissions().get("issues").neededBy())
                .contains("triage-label: add_labels", "triage-label: event issues");
    }

    @Test
    void everyRegisteredRulesActionsAreGrantedAtTheLevelTheirHandlerDeclares() {
        AppRequirements needs = AppRequirements.forSections(List.of());
        Map<String, String> granted = levels(needs);
        Handlers handlers = Handlers.standard();
        for (Rule<?> rule : Rules.REGISTERED) {
            for (ActionType type : rule.actions().keySet()) {
                if (type.read() || type.notification()) {
                    continue; // a notification goes to Slack or PagerDuty, not to GitHub
                }
                AppPermission permission = handlers.of(type).permission();
                assertThat(permission.grantedBy(granted))
                        .as("%s: %s needs %s", rule.name(), type.wireName(), permission)
                        .isTrue();
            }
            for (String event : rule.events()) {
                boolean enrichment =
                        java.util.Arrays.stream(ActionType.values())
                                .anyMatch(t -> t.read() && t.wireName().equals(event));
                assertThat(
                                enrichment
                                        || AppRequirements.SENT_TO_EVERY_APP.contains(event)
                                        || needs.events().containsKey(event))
                        .as("%s reads %s", rule.name(), event)
                        .isTrue();
            }
        }
        assertThat(granted).containsEntry("metadata", "read");
    }

    @Test
    void anEventNeedsThePermissionGitHubNamesForIt() {
        AppRequirements needs = AppRequirements.forSections(List.of("ci"));
        WebhookEventPermissions webhooks = WebhookEventPermissions.load();
        for (String event : needs.events().keySet()) {
            AppPermission required = webhooks.permissionFor(event).orElseThrow();
            assertThat(required.grantedBy(levels(needs))).as(event).isTrue();
        }
        assertThat(needs.events().keySet()).contains("check_run", "workflow_run");
        assertThat(levels(needs)).containsKey("checks");
    }

    @Test
    void aSectionNoRuleOwnsIsRefusedByName() {
        assertThatThrownBy(() -> AppRequirements.forSections(List.of("merge-queue")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'merge-queue'")
                .hasMessageContaining("triage");
    }

    @Test
    void theManifestAsksForExactlyWhatIsNeeded() {
        AppRequirements needs = AppRequirements.forSections(List.of("triage", "sla"));
        var manifest =
                AppManifest.of(
                        "repostream-acme",
                        "https://github.com/acme",
                        "https://hooks.example.com/webhooks/github",
                        "http://127.0.0.1:1234/callback",
                        needs);
        assertThat(manifest.path("hook_attributes").path("url").asText())
                .isEqualTo("https://hooks.example.com/webhooks/github");
        assertThat(manifest.path("redirect_url").asText())
                .isEqualTo("http://127.0.0.1:1234/callback");
        assertThat(manifest.path("public").asBoolean()).isFalse();
        Map<String, String> asked = new TreeMap<>();
        manifest.path("default_permissions")
                .fields()
                .forEachRemaining(e -> asked.put(e.getKey(), e.getValue().asText()));
        assertThat(asked).isEqualTo(levels(needs));
        List<String> events = new java.util.ArrayList<>();
        manifest.path("default_events").forEach(e -> events.add(e.asText()));
        assertThat(events).containsExactlyElementsOf(needs.events().keySet());
    }

    @Test
    void aRuleThatReadsFilesNeedsContentsToReadAndNoEventForItsResults() {
        Rule<?> codeowners =
                Rule.builder("codeowners", "codeowners@1", Rules.ITEM_EVENTS)
                        .function(() -> null)
                        .policySection("codeowners")
                        .events("issues", "read_file")
                        .emits(ActionPriority.ROUTINE, ActionType.READ_FILE)
                        .build();

        AppRequirements needs =
                AppRequirements.of(List.of(codeowners), WebhookEventPermissions.load());

        assertThat(levels(needs))
                .containsEntry("contents", "read")
                .containsEntry("metadata", "read");
        assertThat(needs.permissions().get("contents").neededBy())
                .containsExactly("codeowners: read_file");
        assertThat(needs.events().keySet()).containsExactly("issues");
    }

    private static Map<String, String> levels(AppRequirements needs) {
        Map<String, String> levels = new TreeMap<>();
        needs.permissions().forEach((k, v) -> levels.put(k, v.permission().level()));
        return levels;
    }
}

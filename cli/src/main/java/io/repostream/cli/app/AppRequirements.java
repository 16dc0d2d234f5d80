package io.repostream.cli.app;

import io.repostream.executor.github.AppPermission;
import io.repostream.executor.handlers.Handlers;
import io.repostream.executor.reads.ReadHandler;
import io.repostream.executor.reads.ReadProcessor;
import io.repostream.flink.rules.Rule;
import io.repostream.flink.rules.Rules;
import io.repostream.schemas.ActionType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a GitHub App needs for a set of rules, derived from the declarations, never listed by hand:
 * each action type a rule emits ({@link Rule#actions()}) needs the permission its executor handler
 * declares ({@code ActionHandler#permission()}, or {@code ReadHandler#permission()} for a read);
 * each webhook event a rule reads ({@link Rule#events()}) must be subscribed to, which needs the
 * permission GitHub names for it ({@link WebhookEventPermissions}). Events a rule reads that are
 * the executor's read results (enrichment, {@code source: enrichment}) need no subscription, nor do
 * {@code installation} and {@code installation_repositories}, which GitHub sends every App. GitHub
 * gives every App {@code metadata: read}. A rule without a policy section ({@code Rule#alwaysOn()},
 * the in-repo configuration) is needed whatever rules are chosen.
 */
public final class AppRequirements {
    /** A permission at a level, and who needs it ({@code triage-label: add_labels}). */
    public record Permission(AppPermission permission, SortedSet<String> neededBy) {}

    /** A webhook event to subscribe to, and which rules read it. */
    public record Event(String name, SortedSet<String> neededBy) {}

    private final SortedMap<String, Permission> permissions;
    private final SortedMap<String, Event> events;
    private final List<String> rules;

    private AppRequirements(
            SortedMap<String, Permission> permissions,
            SortedMap<String, Event> events,
            List<String> rules) {
        this.permissions = permissions;
        this.events = events;
        this.rules = rules;
    }

    /**
     * The requirements of the registered rules whose policy section is in {@code sections} (every
     * registered rule when it is empty).
     *
     * @throws IllegalArgumentException naming a section no registered rule owns
     */
    public static AppRequirements forSections(Collection<String> sections) {
        Set<String> known = new LinkedHashSet<>();
        Rules.REGISTERED.stream()
                .filter(r -> !r.alwaysOn())
                .forEach(r -> known.add(r.policySection()));
        for (String s : sections) {
            if (!known.contains(s)) {
                throw new IllegalArgumentException(
                        "no rule owns the policy section '" + s + "' (known: " + known + ")");
            }
        }
        List<Rule<?>> enabled =
                Rules.REGISTERED.stream()
                        .filter(
                                r ->
                                        r.alwaysOn()
                                                || sections.isEmpty()
                                                || sections.contains(r.policySection()))
                        .toList();
        return of(enabled, WebhookEventPermissions.load());
    }

    /** The requirements of {@code rules}, events looked up in {@code webhooks}. */
    public static AppRequirements of(
            Collection<? extends Rule<?>> rules, WebhookEventPermissions webhooks) {
        Handlers handlers = Handlers.standard();
        Map<ActionType, AppPermission> reads = new java.util.EnumMap<>(ActionType.class);
        for (ReadHandler<?> read : ReadProcessor.standardHandlers()) {
            reads.put(read.type(), read.permission());
        }
        SortedMap<String, Permission> permissions = new TreeMap<>();
        SortedMap<String, Event> events = new TreeMap<>();
        List<String> names = new ArrayList<>();
        need(permissions, AppPermission.METADATA_READ, "GitHub: every App");
        for (Rule<?> rule : rules) {
            names.add(rule.name());
            for (ActionType type : rule.actions().keySet()) {
                if (type.notification()) {
                    continue; // Slack and PagerDuty: no GitHub permission
                }
                AppPermission permission;
                if (type.read()) {
                    permission = reads.get(type);
                    if (permission == null) {
                        throw new IllegalStateException(
                                "rule "
                                        + rule.name()
                                        + " requests the read "
                                        + type.wireName()
                                        + ", which no executor read handler performs");
                    }
                } else {
                    permission = handlers.of(type).permission();
                }
                need(permissions, permission, rule.name() + ": " + type.wireName());
            }
            for (String event : rule.events()) {
                if (isEnrichment(event) || SENT_TO_EVERY_APP.contains(event)) {
                    continue;
                }
                AppPermission permission =
                        webhooks.permissionFor(event)
                                .orElseThrow(
                                        () ->
                                                new IllegalStateException(
                                                        "rule "
                                                                + rule.name()
                                                                + " reads the event '"
                                                                + event
                                                                + "', which is not a GitHub webhook"
                                                                + " event ("
                                                                + webhooks.source()
                                                                + ")"));
                events.computeIfAbsent(event, e -> new Event(e, new TreeSet<>()))
                        .neededBy()
                        .add(rule.name());
                need(permissions, permission, rule.name() + ": event " + event);
            }
        }
        return new AppRequirements(permissions, events, List.copyOf(names));
    }

    /**
     * Events GitHub sends every App without a subscription or a permission (GitHub's webhook docs:
     * "All GitHub Apps receive this event by default. You cannot manually subscribe to this
     * event."), so they are not in the manifest's list.
     */
    static final Set<String> SENT_TO_EVERY_APP =
            Set.of("installation", "installation_repositories");

    /** A read result the executor writes back as an event: nothing to subscribe to. */
    private static boolean isEnrichment(String event) {
        for (ActionType type : ActionType.values()) {
            if (type.read() && type.wireName().equals(event)) {
                return true;
            }
        }
        return false;
    }

    private static void need(
            SortedMap<String, Permission> permissions, AppPermission needed, String by) {
        Permission known = permissions.get(needed.name());
        SortedSet<String> neededBy = known == null ? new TreeSet<>() : known.neededBy();
        neededBy.add(by);
        AppPermission level =
                known != null && "write".equals(known.permission().level())
                        ? known.permission()
                        : needed;
        permissions.put(needed.name(), new Permission(level, neededBy));
    }

    /** Every permission needed, by name, at the highest level anything needs it. */
    public SortedMap<String, Permission> permissions() {
        return permissions;
    }

    /** Every webhook event to subscribe to, by name. */
    public SortedMap<String, Event> events() {
        return events;
    }

    /** The names of the rules these are the requirements of. */
    public List<String> rules() {
        return rules;
    }
}

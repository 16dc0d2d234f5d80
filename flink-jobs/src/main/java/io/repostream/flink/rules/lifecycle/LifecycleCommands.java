package io.repostream.flink.rules.lifecycle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.flink.rules.commands.RepoPermission;
import io.repostream.flink.rules.commands.SlashCommand;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.Lifecycle;
import io.repostream.schemas.RepoPolicy;
import java.util.List;
import java.util.Locale;

/**
 * The lifecycle rule's slash commands, run by the job's command framework once GitHub has said the
 * commenter may: people with triage permission (GitHub's least role that may close and reopen
 * others' items and change their labels), and the item's own author.
 *
 * <ul>
 *   <li>{@code /remove-lifecycle stale|rotten} removes the section's stale or rotten label (a
 *       person's comment is activity anyway: the clock starts over).
 *   <li>{@code /reopen} reopens the item; the rule sees it reopened and starts its clock over. Its
 *       author may do so only on what lifecycle closed: an item that still carries the rotten label
 *       or the awaiting-response label, which lifecycle leaves on what it closes. What a maintainer
 *       closed stays closed to its author, as on GitHub.
 * </ul>
 */
public final class LifecycleCommands {
    private LifecycleCommands() {}

    public static final SlashCommand REMOVE_LIFECYCLE =
            new SlashCommand(
                            "remove-lifecycle",
                            RepoPermission.TRIAGE,
                            "/remove-lifecycle stale|rotten",
                            LifecycleCommands::removeLifecycle)
                    .orByTheAuthor()
                    .describedAs("Removes the stale or rotten label lifecycle put on the item.");

    public static final SlashCommand REOPEN =
            new SlashCommand("reopen", RepoPermission.TRIAGE, "/reopen", LifecycleCommands::reopen)
                    .orByTheAuthorWhere(
                            LifecycleCommands::closedByLifecycle, "where lifecycle closed it")
                    .describedAs("Reopens the issue or pull request.");

    /** Whether the item carries a label lifecycle leaves on what it closes. */
    static boolean closedByLifecycle(RepoPolicy policy, List<String> labels) {
        Lifecycle lc = policy.lifecycle();
        String awaiting = lc.awaitingResponse() == null ? null : lc.awaitingResponse().label();
        return labels.stream()
                .anyMatch(
                        l ->
                                l.equalsIgnoreCase(lc.rottenLabel())
                                        || (awaiting != null && l.equalsIgnoreCase(awaiting)));
    }

    private static List<SlashCommand.Effect> removeLifecycle(SlashCommand.Invocation inv) {
        if (inv.args().size() != 1) {
            throw new IllegalArgumentException("name one state, stale or rotten");
        }
        Lifecycle lc = inv.policy().lifecycle();
        String label =
                switch (inv.args().get(0).toLowerCase(Locale.ROOT)) {
                    case "stale" -> lc.staleLabel();
                    case "rotten" -> lc.rottenLabel();
                    default ->
                            throw new IllegalArgumentException(
                                    "'" + inv.args().get(0) + "' is not stale or rotten");
                };
        return List.of(
                new SlashCommand.Effect(
                        ActionType.REMOVE_LABEL,
                        JsonNodeFactory.instance.objectNode().put("label", label),
                        "@" + inv.author() + " asked to remove " + label));
    }

    private static List<SlashCommand.Effect> reopen(SlashCommand.Invocation inv) {
        if (!inv.args().isEmpty()) {
            throw new IllegalArgumentException("takes no arguments");
        }
        return List.of(
                new SlashCommand.Effect(
                        ActionType.REOPEN_ISSUE,
                        JsonNodeFactory.instance.objectNode(),
                        "@" + inv.author() + " asked to reopen it"));
    }
}

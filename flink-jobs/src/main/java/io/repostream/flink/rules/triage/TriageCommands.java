package io.repostream.flink.rules.triage;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.flink.rules.commands.RepoPermission;
import io.repostream.flink.rules.commands.SlashCommand;
import io.repostream.schemas.ActionType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The triage rule's commands on people and state, run by the job's command framework once GitHub
 * has said the commenter may. Each needs what GitHub needs for the same change by hand:
 *
 * <ul>
 *   <li>{@code /assign [@user...]} and {@code /unassign [@user...]} (no argument: the commenter):
 *       triage. GitHub's "Repository roles for an organization" gives the triage role "assign all
 *       issues and pull requests"; read does not.
 *   <li>{@code /cc @user...} requests reviews, on pull requests only: write. GitHub's "Requesting a
 *       pull request review": "To request a review, you need write access to the repository."
 *   <li>{@code /close [completed|not_planned]}: triage (the role "close, reopen, and assign all
 *       issues and pull requests"), or the item's own author, whom GitHub lets close what they
 *       opened. {@code state_reason} is one of the values of GitHub's OpenAPI for {@code PATCH
 *       /repos/{owner}/{repo}/issues/{issue_number}} that the executor's {@code close_issue}
 *       accepts ({@code completed}, the default, and {@code not_planned}); {@code duplicate} and
 *       {@code reopened} are not for a bare close.
 * </ul>
 */
public final class TriageCommands {
    /** GitHub allows at most 10 assignees on an issue; a command asks for no more. */
    static final int MAX_PEOPLE = 10;

    /** A GitHub login: alphanumerics and single inner hyphens, at most 39 characters. */
    private static final Pattern LOGIN =
            Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}");

    private TriageCommands() {}

    public static final SlashCommand ASSIGN =
            new SlashCommand(
                            "assign",
                            RepoPermission.TRIAGE,
                            "/assign [@user...]",
                            TriageCommands::assign)
                    .describedAs("Assigns the people named, or the commenter when none is named.");

    public static final SlashCommand UNASSIGN =
            new SlashCommand(
                            "unassign",
                            RepoPermission.TRIAGE,
                            "/unassign [@user...]",
                            TriageCommands::unassign)
                    .describedAs(
                            "Removes the people named from the assignees, or the commenter when"
                                    + " none is named.");

    public static final SlashCommand CC =
            new SlashCommand("cc", RepoPermission.WRITE, "/cc @user...", TriageCommands::cc)
                    .describedAs("Requests a review from the people named (pull requests only).");

    public static final SlashCommand CLOSE =
            new SlashCommand(
                            "close",
                            RepoPermission.TRIAGE,
                            "/close [completed|not_planned]",
                            TriageCommands::close)
                    .orByTheAuthor()
                    .describedAs(
                            "Closes the issue or pull request, as completed (the default) or not"
                                    + " planned.");

    private static List<SlashCommand.Effect> assign(SlashCommand.Invocation inv) {
        List<String> people = people(inv, false);
        return List.of(
                new SlashCommand.Effect(
                        ActionType.ADD_ASSIGNEES,
                        logins("assignees", people),
                        "@" + inv.author() + " asked to assign " + String.join(", ", people)));
    }

    private static List<SlashCommand.Effect> unassign(SlashCommand.Invocation inv) {
        List<String> people = people(inv, false);
        return List.of(
                new SlashCommand.Effect(
                        ActionType.REMOVE_ASSIGNEES,
                        logins("assignees", people),
                        "@" + inv.author() + " asked to unassign " + String.join(", ", people)));
    }

    private static List<SlashCommand.Effect> cc(SlashCommand.Invocation inv) {
        if (!inv.pullRequest()) {
            throw new IllegalArgumentException(
                    "reviews are requested on pull requests only, and this is an issue");
        }
        List<String> people = people(inv, true);
        // GitHub refuses a review request to the pull request's author (422)
        List<String> others =
                people.stream().filter(p -> !p.equalsIgnoreCase(inv.itemAuthor())).toList();
        if (others.isEmpty()) {
            throw new IllegalArgumentException(
                    "the author of a pull request cannot be asked to review it");
        }
        return List.of(
                new SlashCommand.Effect(
                        ActionType.REQUEST_REVIEWERS,
                        logins("reviewers", others),
                        "@"
                                + inv.author()
                                + " asked for a review by "
                                + String.join(", ", others)));
    }

    private static List<SlashCommand.Effect> close(SlashCommand.Invocation inv) {
        if (inv.args().size() > 1) {
            throw new IllegalArgumentException("name at most one reason");
        }
        String reason =
                inv.args().isEmpty() ? "completed" : inv.args().get(0).toLowerCase(Locale.ROOT);
        if (!reason.equals("completed") && !reason.equals("not_planned")) {
            throw new IllegalArgumentException(
                    "'" + inv.args().get(0) + "' is not completed or not_planned");
        }
        return List.of(
                new SlashCommand.Effect(
                        ActionType.CLOSE_ISSUE,
                        JsonNodeFactory.instance.objectNode().put("state_reason", reason),
                        "@" + inv.author() + " asked to close it (" + reason + ")"));
    }

    /** The logins named ({@code @alice bob}), or the commenter when none is and may be. */
    private static List<String> people(SlashCommand.Invocation inv, boolean required) {
        if (inv.args().isEmpty()) {
            if (required) {
                throw new IllegalArgumentException("name someone");
            }
            return List.of(inv.author());
        }
        LinkedHashSet<String> people = new LinkedHashSet<>();
        for (String arg : inv.args()) {
            String login = arg.startsWith("@") ? arg.substring(1) : arg;
            if (!LOGIN.matcher(login).matches()) {
                throw new IllegalArgumentException("'" + arg + "' is not a GitHub login");
            }
            people.add(login);
        }
        if (people.size() > MAX_PEOPLE) {
            throw new IllegalArgumentException("at most " + MAX_PEOPLE + " people at a time");
        }
        return new ArrayList<>(people);
    }

    private static ObjectNode logins(String field, List<String> logins) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        logins.forEach(params.putArray(field)::add);
        return params;
    }
}

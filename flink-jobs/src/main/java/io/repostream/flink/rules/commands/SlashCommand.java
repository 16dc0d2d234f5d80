package io.repostream.flink.rules.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.RepoPolicy;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A slash command a rule handles, as its descriptor declares it ({@code Rule.Builder#command}): its
 * name, the repository permission it needs, a one-line usage, and what it does. The framework
 * ({@link SlashCommandFunction}) parses comments, checks the commenter's permission as GitHub
 * reports it, and calls {@link #handler} only for a commenter who has {@link #needs}; the actions
 * come out as the declaring rule's ({@code produced_by}, priority).
 *
 * @param name without the slash, lowercase ({@code label})
 * @param needs the least repository permission the command needs
 * @param usage how to write it, for the reply to a mistaken one ({@code /label NAME...})
 * @param handler what the command does
 * @param authorWhen where the author of the issue or pull request may run it on their own item
 *     without {@link #needs}, given the repo's policy and the item's labels when the command was
 *     written; null: nowhere ({@code /reopen}: GitHub does not let an author reopen what someone
 *     else closed, and the lifecycle rule lets them reopen only what it closed)
 * @param summary what it does, one sentence, for {@code /help} and {@code docs/commands.md}
 * @param authorNote where the author may run it, in words ({@code on what lifecycle closed});
 *     empty: on any of their items
 */
public record SlashCommand(
        String name,
        RepoPermission needs,
        String usage,
        Handler handler,
        AuthorMay authorWhen,
        String summary,
        String authorNote)
        implements Serializable {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    public SlashCommand {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "a command's name is lowercase letters, digits and hyphens, got " + name);
        }
        Objects.requireNonNull(needs, "needs");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(handler, "handler of /" + name);
        summary = summary == null ? "" : summary;
        authorNote = authorNote == null ? "" : authorNote;
    }

    /** A command only those with {@code needs} may run. */
    public SlashCommand(String name, RepoPermission needs, String usage, Handler handler) {
        this(name, needs, usage, handler, null, "", "");
    }

    /** The same command, which the item's author may also run on any of their items. */
    public SlashCommand orByTheAuthor() {
        return orByTheAuthorWhere((policy, labels) -> true, "");
    }

    /** The same command, which the item's author may also run where {@code where} says so. */
    public SlashCommand orByTheAuthorWhere(AuthorMay where) {
        return orByTheAuthorWhere(where, "");
    }

    /**
     * The same command, which the item's author may also run where {@code where} says so, {@code
     * note} saying it in words for the help page.
     */
    public SlashCommand orByTheAuthorWhere(AuthorMay where, String note) {
        return new SlashCommand(
                name, needs, usage, handler, Objects.requireNonNull(where), summary, note);
    }

    /** The same command, described for {@code /help} and the help page. */
    public SlashCommand describedAs(String what) {
        return new SlashCommand(name, needs, usage, handler, authorWhen, what, authorNote);
    }

    /** Who may run it, in words: {@code triage permission or above, or the item's author}. */
    public String whoMay() {
        String who =
                needs == RepoPermission.NONE ? "anyone" : needs.wireName() + " permission or above";
        if (!authorMay()) {
            return who;
        }
        return who + ", or the item's author" + (authorNote.isEmpty() ? "" : " " + authorNote);
    }

    /** Whether the item's author may run it on some of their items. */
    public boolean authorMay() {
        return authorWhen != null;
    }

    /** Whether the item's author may run it on this item of theirs. */
    public boolean authorMay(RepoPolicy policy, List<String> itemLabels) {
        return authorWhen != null && authorWhen.test(policy, itemLabels);
    }

    /** Where an item's author may run a command without its permission. */
    @FunctionalInterface
    public interface AuthorMay extends Serializable {
        /**
         * @param policy the repo's policy
         * @param itemLabels the item's labels when the command was written
         */
        boolean test(RepoPolicy policy, List<String> itemLabels);
    }

    /** What a command does, given who wrote it where: the actions to propose. */
    @FunctionalInterface
    public interface Handler extends Serializable {
        /**
         * @throws IllegalArgumentException when the arguments are unusable; its message is the
         *     reply (with the usage)
         */
        List<Effect> handle(Invocation invocation);
    }

    /**
     * One command as written, with what the framework knows.
     *
     * @param repo lowercase {@code owner/repo}
     * @param number the issue or pull request
     * @param args the arguments as written
     * @param author the commenter's login
     * @param policy the repo's policy
     * @param pullRequest whether the item is a pull request (the comment's {@code issue} has a
     *     {@code pull_request} field)
     * @param itemLabels the item's labels when the command was written
     * @param itemAuthor the login of the item's author; empty when the payload does not say
     * @param latestRuns the latest completed run of each workflow of the pull request, for {@code
     *     /retest}; empty on an issue
     * @param commands the job's commands, for {@code /help}
     */
    public record Invocation(
            String repo,
            long number,
            List<String> args,
            String author,
            RepoPolicy policy,
            boolean pullRequest,
            List<String> itemLabels,
            String itemAuthor,
            List<WorkflowRun> latestRuns,
            CommandRegistry commands) {
        public Invocation {
            args = List.copyOf(args);
            itemLabels = List.copyOf(itemLabels);
            latestRuns = List.copyOf(latestRuns);
        }
    }

    /**
     * One action a command proposes on the item it was written on.
     *
     * @param type the action type (the declaring rule declares it, with a priority)
     * @param params its parameters
     * @param reason in words a maintainer reads
     * @param target the typed target when it is not the item itself (a workflow run's id for {@code
     *     rerun_failed_jobs}); null: the issue or pull request the command was written on
     */
    public record Effect(ActionType type, ObjectNode params, String reason, Long target) {
        /** An effect on the item the command was written on. */
        public Effect(ActionType type, ObjectNode params, String reason) {
            this(type, params, reason, null);
        }
    }

    /** The command as it is written, {@code /label}. */
    public String written() {
        return "/" + name.toLowerCase(Locale.ROOT);
    }
}

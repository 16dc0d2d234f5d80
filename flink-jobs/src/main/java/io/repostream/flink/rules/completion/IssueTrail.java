package io.repostream.flink.rules.completion;

import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the completion rule keeps of one open issue that work links to, stored as JSON (fields are
 * only ever added, with a default when absent, so state written by an earlier version reads).
 *
 * @param repo lowercase {@code owner/repo} of the issue
 * @param number the issue
 * @param installationId the GitHub App installation its actions run under
 * @param works the pull requests and commits that link to it
 * @param objection the maintainer's comment saying it is not fixed, after work landed; null if none
 * @param decideAt event time (epoch ms) at which the rule decides, null while nothing landed
 * @param decided whether the decision of {@code decideAt} was made ({@code decided}); null while
 *     pending (a new landing makes it pending again)
 * @param suggestedAt when the issue was labelled as likely done, null if never
 */
record IssueTrail(
        String repo,
        long number,
        Long installationId,
        List<Work> works,
        String objection,
        Long decideAt,
        String decided,
        Long suggestedAt) {

    static final String DECIDED = "decided";

    IssueTrail {
        works = works == null ? List.of() : List.copyOf(works);
    }

    static IssueTrail of(String repo, long number, Long installationId) {
        return new IssueTrail(repo, number, installationId, List.of(), null, null, null, null);
    }

    String ref() {
        return repo + "#" + number;
    }

    /** This trail with {@code work} in place of the one with its id, or added. */
    IssueTrail with(Work work) {
        List<Work> all = new ArrayList<>();
        boolean replaced = false;
        for (Work w : works) {
            if (w.id().equals(work.id())) {
                all.add(work);
                replaced = true;
            } else {
                all.add(w);
            }
        }
        if (!replaced) {
            all.add(work);
        }
        return new IssueTrail(
                repo, number, installationId, all, objection, decideAt, decided, suggestedAt);
    }

    IssueTrail without(String workId) {
        return new IssueTrail(
                repo,
                number,
                installationId,
                works.stream().filter(w -> !w.id().equals(workId)).toList(),
                objection,
                decideAt,
                decided,
                suggestedAt);
    }

    Work work(String workId) {
        return works.stream().filter(w -> w.id().equals(workId)).findFirst().orElse(null);
    }

    IssueTrail withObjection(String by) {
        return new IssueTrail(
                repo, number, installationId, works, by, decideAt, decided, suggestedAt);
    }

    IssueTrail withDecideAt(Long at) {
        return new IssueTrail(
                repo, number, installationId, works, objection, at, decided, suggestedAt);
    }

    IssueTrail withDecided(String step) {
        return new IssueTrail(
                repo, number, installationId, works, objection, decideAt, step, suggestedAt);
    }

    IssueTrail withSuggestedAt(Long at) {
        return new IssueTrail(
                repo, number, installationId, works, objection, decideAt, decided, at);
    }

    /** Event time of the first landing, or null. */
    Long firstLanded() {
        return works.stream()
                .filter(Work::landed)
                .map(Work::landedAt)
                .min(Long::compare)
                .orElse(null);
    }

    String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException("completion state of " + ref(), e);
        }
    }

    static IssueTrail fromJson(String json) {
        try {
            return Json.mapper().readValue(json, IssueTrail.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable completion state: " + json, e);
        }
    }

    /**
     * One pull request ({@code id} {@code #34}) or pushed commit ({@code id} its SHA) that links to
     * the issue.
     *
     * @param id {@code #34} or the commit's SHA
     * @param form how it links ({@link ClosingLinks.Form#wireName()})
     * @param branch the pull request's base branch, or the branch the commit was pushed to
     * @param landed merged (or pushed) on a counted branch
     * @param abandoned closed without merging, or merged into a branch that does not count
     * @param landedAt event time of the landing, null while not landed
     * @param sha the commit whose checks count: the merge commit, or the push's head
     * @param checks null while no check reported, true while every one reported green, false once
     *     one was red
     * @param tests the work changed test files
     * @param docs the work changed docs
     * @param causedBy the event ids behind it
     */
    record Work(
            String id,
            String form,
            String branch,
            boolean landed,
            boolean abandoned,
            Long landedAt,
            String sha,
            Boolean checks,
            boolean tests,
            boolean docs,
            List<String> causedBy) {
        Work {
            causedBy = causedBy == null ? List.of() : List.copyOf(causedBy);
        }

        boolean strong() {
            return ClosingLinks.Form.valueOf(form.toUpperCase(java.util.Locale.ROOT)).strong();
        }

        Work withChecks(boolean green) {
            Boolean next = Boolean.FALSE.equals(checks) ? Boolean.FALSE : Boolean.valueOf(green);
            return new Work(
                    id, form, branch, landed, abandoned, landedAt, sha, next, tests, docs,
                    causedBy);
        }
    }
}

package io.repostream.flink.rules.completion;

import io.repostream.flink.rules.completion.IssueTrail.Work;
import io.repostream.schemas.Completion;
import io.repostream.schemas.Completion.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * How sure the rule is that an issue is done: the weights of the evidence present over the weights
 * of the evidence that applies, times {@code weak_link_factor} when no landed work links with a
 * closing keyword. Nothing landed: 0, whatever else is true.
 *
 * @param confidence 0..1, rounded to 4 decimals
 * @param items each kind of evidence that applies
 * @param strong whether a landed work links with a closing keyword
 */
record Assessment(double confidence, List<Item> items, boolean strong) {

    /** One kind of evidence: its name in the policy, whether present, its weight, what was seen. */
    record Item(String name, boolean present, double weight, String detail) {
        String line() {
            return (present ? "[x] " : "[ ] ") + name + ": " + detail;
        }
    }

    static Assessment of(IssueTrail trail, Completion c, boolean feature) {
        Weights w = c.weights();
        List<Work> landed = trail.works().stream().filter(Work::landed).toList();
        List<Work> open =
                trail.works().stream().filter(x -> !x.landed() && !x.abandoned()).toList();
        List<Item> items = new ArrayList<>();
        add(items, "merged", !landed.isEmpty(), w.merged(), describe(landed, "landed"));
        boolean green =
                !landed.isEmpty() && landed.stream().allMatch(x -> Boolean.TRUE.equals(x.checks()));
        add(items, "checks_green", green, w.checksGreen(), checks(landed));
        add(
                items,
                "tests_touched",
                landed.stream().anyMatch(Work::tests),
                w.testsTouched(),
                describe(filter(landed, Work::tests), "changed tests"));
        if (feature) {
            add(
                    items,
                    "docs_touched",
                    landed.stream().anyMatch(Work::docs),
                    w.docsTouched(),
                    describe(filter(landed, Work::docs), "changed docs"));
        }
        add(
                items,
                "all_linked_merged",
                !landed.isEmpty() && open.isEmpty(),
                w.allLinkedMerged(),
                open.isEmpty() ? "no linked work left open" : describe(open, "still open"));
        add(
                items,
                "no_objection",
                trail.objection() == null,
                w.noObjection(),
                trail.objection() == null
                        ? "no maintainer said it is not fixed"
                        : trail.objection());
        boolean strong = landed.stream().anyMatch(Work::strong);
        if (landed.isEmpty()) {
            return new Assessment(0, List.copyOf(items), false);
        }
        double applies = 0;
        double present = 0;
        for (Item item : items) {
            applies += item.weight();
            present += item.present() ? item.weight() : 0;
        }
        double confidence = applies == 0 ? 0 : present / applies;
        if (!strong) {
            confidence *= c.weakLinkFactor();
        }
        return new Assessment(
                Math.round(Math.min(1, confidence) * 10_000) / 10_000.0,
                List.copyOf(items),
                strong);
    }

    /** The evidence as lines for a comment or an action's evidence list. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (Item item : items) {
            lines.add(item.line());
        }
        if (!strong) {
            lines.add("only weak links (branch name, refs): confidence scaled down");
        }
        return lines;
    }

    boolean reaches(double threshold) {
        return confidence + 1e-9 >= threshold;
    }

    private static void add(
            List<Item> items, String name, boolean present, double weight, String detail) {
        if (weight > 0) {
            items.add(new Item(name, present, weight, detail));
        }
    }

    private static List<Work> filter(List<Work> works, Predicate<Work> p) {
        return works.stream().filter(p).toList();
    }

    private static String describe(List<Work> works, String what) {
        if (works.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (Work w : works) {
            parts.add(name(w) + (w.branch() == null ? "" : " (" + w.branch() + ")"));
        }
        return String.join(", ", parts) + " " + what;
    }

    private static String checks(List<Work> landed) {
        if (landed.isEmpty()) {
            return "nothing landed";
        }
        List<String> parts = new ArrayList<>();
        for (Work w : landed) {
            String state = w.checks() == null ? "no check reported" : w.checks() ? "green" : "red";
            parts.add(name(w) + " at " + shortSha(w.sha()) + ": " + state);
        }
        return String.join(", ", parts);
    }

    static String name(Work w) {
        return w.id().startsWith("#") ? "pull request " + w.id() : "commit " + shortSha(w.id());
    }

    private static String shortSha(String sha) {
        return sha == null ? "?" : sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}

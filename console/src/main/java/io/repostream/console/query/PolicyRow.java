package io.repostream.console.query;

import io.repostream.schemas.RepoPolicy;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One repository's policy in force, as the Repos page summarises it: each rule's section on, shadow
 * (dry run) or off, and the settings every rule shares.
 *
 * @param repo lowercase {@code owner/repo}
 * @param modes section name to {@code on}, {@code shadow} or {@code off}, in {@link #SECTIONS}
 *     order
 * @param dryRun the whole repository in dry run
 * @param actionBudgetPerHour the repository's action budget
 * @param updatedAt when the policy says it was written
 */
public record PolicyRow(
        String repo,
        Map<String, String> modes,
        boolean dryRun,
        int actionBudgetPerHour,
        Instant updatedAt) {

    /** The sections the console knows; a newer rule's section reads as off until it is added. */
    public static final List<String> SECTIONS = List.of("triage", "sla", "ci", "commands");

    public static PolicyRow of(RepoPolicy policy) {
        Map<String, String> modes = new LinkedHashMap<>();
        for (String section : SECTIONS) {
            modes.put(section, policy.mode(section).wireName());
        }
        return new PolicyRow(
                policy.repo(),
                modes,
                policy.dryRun(),
                policy.actionBudgetPerHour(),
                policy.updatedAt());
    }
}

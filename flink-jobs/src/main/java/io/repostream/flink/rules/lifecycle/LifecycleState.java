package io.repostream.flink.rules.lifecycle;

import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the lifecycle rule keeps of one open issue or pull request, stored as JSON (fields are only
 * ever added, with a default when absent, so state written by an earlier version reads).
 *
 * @param repo lowercase {@code owner/repo}
 * @param number the issue or pull request
 * @param author login of whoever opened it, lowercase
 * @param installationId the GitHub App installation its actions run under
 * @param activity event time (epoch ms) of the last activity that counts, or of the first event
 *     seen
 * @param step where it is on the way to closing
 * @param due event time of the next step, null when none is set (an exempt item)
 * @param awaitingDue event time at which an item waiting for its author is closed, null when it
 *     does not wait
 * @param exempt whether an exemption of the policy leaves it alone
 */
record LifecycleState(
        String repo,
        long number,
        String author,
        Long installationId,
        long activity,
        Step step,
        Long due,
        Long awaitingDue,
        boolean exempt) {

    /** The steps before closing. */
    enum Step {
        ACTIVE,
        STALE,
        ROTTEN
    }

    LifecycleState {
        step = step == null ? Step.ACTIVE : step;
    }

    String ref() {
        return repo + "#" + number;
    }

    LifecycleState withActivity(long at) {
        return new LifecycleState(
                repo, number, author, installationId, at, step, due, awaitingDue, exempt);
    }

    LifecycleState withStep(Step s, Long nextDue) {
        return new LifecycleState(
                repo, number, author, installationId, activity, s, nextDue, awaitingDue, exempt);
    }

    LifecycleState withAwaitingDue(Long at) {
        return new LifecycleState(
                repo, number, author, installationId, activity, step, due, at, exempt);
    }

    LifecycleState withExempt(boolean e) {
        return new LifecycleState(
                repo, number, author, installationId, activity, step, due, awaitingDue, e);
    }

    String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException("lifecycle state of " + ref(), e);
        }
    }

    static LifecycleState fromJson(String json) {
        try {
            return Json.mapper().readValue(json, LifecycleState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable lifecycle state: " + json, e);
        }
    }
}

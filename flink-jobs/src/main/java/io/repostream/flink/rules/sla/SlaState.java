package io.repostream.flink.rules.sla;

import java.time.Instant;
import java.util.List;

/**
 * What the SLA monitor remembers about one open issue or pull request; cleared when it closes.
 *
 * @param repo lowercase {@code owner/repo}
 * @param number issue or pull request number
 * @param author login of whoever opened it, lowercase
 * @param pullRequest whether it is a pull request
 * @param openedBy event id of the opening, the cause of every breach action
 * @param openedAt when the SLA clocks started
 * @param priority current priority ({@code P0}..{@code P3})
 * @param firstResponseAt when someone other than the author first answered; null until then
 * @param responseWarned whether the first-response warning was emitted
 * @param responseBreached whether the first-response breach was acted on
 * @param resolutionWarned whether the resolution warning was emitted
 * @param resolutionBreached whether the resolution breach was acted on
 * @param timers event-time timers currently registered for this item
 * @param installationId the GitHub App installation of the repository, when known
 */
public record SlaState(
        String repo,
        long number,
        String author,
        boolean pullRequest,
        String openedBy,
        Instant openedAt,
        String priority,
        Instant firstResponseAt,
        boolean responseWarned,
        boolean responseBreached,
        boolean resolutionWarned,
        boolean resolutionBreached,
        List<Long> timers,
        Long installationId) {

    public SlaState {
        timers = timers == null ? List.of() : List.copyOf(timers);
    }

    public String ref() {
        return repo + "#" + number;
    }

    SlaState withPriority(String value) {
        return new SlaState(
                repo,
                number,
                author,
                pullRequest,
                openedBy,
                openedAt,
                value,
                firstResponseAt,
                responseWarned,
                responseBreached,
                resolutionWarned,
                resolutionBreached,
                timers,
                installationId);
    }

    SlaState withFirstResponse(Instant at) {
        return new SlaState(
                repo,
                number,
                author,
                pullRequest,
                openedBy,
                openedAt,
                priority,
                at,
                responseWarned,
                responseBreached,
                resolutionWarned,
                resolutionBreached,
                timers,
                installationId);
    }

    SlaState withFlags(boolean rWarned, boolean rBreached, boolean resWarned, boolean resBreached) {
        return new SlaState(
                repo,
                number,
                author,
                pullRequest,
                openedBy,
                openedAt,
                priority,
                firstResponseAt,
                rWarned,
                rBreached,
                resWarned,
                resBreached,
                timers,
                installationId);
    }

    SlaState withTimers(List<Long> value) {
        return new SlaState(
                repo,
                number,
                author,
                pullRequest,
                openedBy,
                openedAt,
                priority,
                firstResponseAt,
                responseWarned,
                responseBreached,
                resolutionWarned,
                resolutionBreached,
                value,
                installationId);
    }
}

package io.repostream.flink.rules.merge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Why a merge the eligibility rule asked for did not happen, as its audit record says ({@code
 * AuditFeedback}): the executor's {@code MergePullRequestHandler} audits GitHub's refusals as
 * {@code failed} with the status and a plain reason ({@code head_moved}, {@code not_mergeable},
 * {@code invalid}); a head it found moved before sending is {@code failed} without a status ("head
 * of ... moved from ... to ..."); the governors' drops and the executor's skips never reached
 * GitHub.
 */
enum MergeRefusal {
    /** 409, or the executor saw the head move before sending: not the commit the rule judged. */
    HEAD_MOVED("Merge refused: the head moved"),
    /**
     * 405: a conflict, a merge method or branch rule the base refuses, already merged or closed.
     */
    NOT_MERGEABLE("Merge refused: not mergeable"),
    /** 422: GitHub refused the request as invalid. */
    INVALID("Merge refused: invalid request"),
    /** Any other failure (a status GitHub rarely sends, a missing permission, a handler error). */
    FAILED("Merge failed"),
    /** Dropped by the job's governors, or skipped by the executor (expired, disabled). */
    NOT_SENT("Merge not sent");

    private final String title;

    MergeRefusal(String title) {
        this.title = title;
    }

    /** The {@code reason} label and the word the check run's summary uses. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The check run's title. */
    String title() {
        return title;
    }

    /**
     * The refusal an audit ({@code /audit} of an audit event) reports, or null when the merge
     * happened or nothing is known yet ({@code applied}, {@code skipped_duplicate}, {@code
     * dry_run}).
     */
    static MergeRefusal of(JsonNode audit) {
        return switch (audit.path("outcome").asText("")) {
            case "dropped", "skipped_expired", "skipped_disabled" -> NOT_SENT;
            case "failed" -> failure(audit.path("github_status").asInt(0), audit.path("error"));
            default -> null;
        };
    }

    private static MergeRefusal failure(int status, JsonNode errorNode) {
        String error = errorNode.asText("");
        if (status == 409 || error.contains("head_moved") || error.contains(" moved from ")) {
            return HEAD_MOVED;
        }
        if (status == 405 || error.contains("not_mergeable")) {
            return NOT_MERGEABLE;
        }
        if (status == 422 || error.contains("invalid:")) {
            return INVALID;
        }
        return FAILED;
    }
}

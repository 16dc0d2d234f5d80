package io.repostream.flink.rules.maintenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.repostream.schemas.json.Json;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A branch of the repository whose pull request was merged: deleted in a window once old enough,
 * unless it is used again before.
 *
 * @param pullRequest the merged pull request's number
 * @param sha the branch's head when it was merged (the executor's snapshot records what it is at
 *     deletion, and its undo recreates the branch there)
 * @param mergedAt event time of the merge (epoch millis)
 * @param proposed how many windows proposed its deletion already
 * @param causedBy the merge event's id
 */
record MergedBranch(
        long pullRequest, String sha, long mergedAt, int proposed, List<String> causedBy) {

    /** Windows that propose a deletion before the branch is forgotten (its deletion unseen). */
    static final int MAX_PROPOSALS = 3;

    MergedBranch proposedOnce() {
        return new MergedBranch(pullRequest, sha, mergedAt, proposed + 1, causedBy);
    }

    String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("merged branch", e);
        }
    }

    static MergedBranch fromJson(String json) {
        try {
            return Json.mapper().readValue(json, MergedBranch.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("merged branch", e);
        }
    }

    /** Whether a {@code keep} glob names {@code branch}: {@code **} any text, {@code *} no /. */
    static boolean kept(List<String> globs, String branch) {
        for (String glob : globs) {
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else if (c == '*') {
                    re.append("[^/]*");
                } else {
                    re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            if (Pattern.matches(re.toString(), branch)) {
                return true;
            }
        }
        return false;
    }
}

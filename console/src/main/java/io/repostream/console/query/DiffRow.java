package io.repostream.console.query;

import java.util.List;

/**
 * One field of a target's state, before the action and after it.
 *
 * @param added list entries only after (labels, assignees, reviewers)
 * @param removed list entries only before
 */
public record DiffRow(
        String field,
        String before,
        String after,
        boolean changed,
        List<String> added,
        List<String> removed) {}

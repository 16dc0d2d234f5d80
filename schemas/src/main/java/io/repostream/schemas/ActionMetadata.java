package io.repostream.schemas;

import java.util.List;

/** Why an action was proposed, carried into its audit record. */
public record ActionMetadata(double confidence, String reason, List<String> evidence) {
    public ActionMetadata {
        evidence = Require.list(evidence);
    }

    public static ActionMetadata of(ActionRecord action) {
        return new ActionMetadata(action.confidence(), action.reason(), action.evidence());
    }
}

package io.repostream.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What kind of thing an action acts on ({@code typed_target.kind} of {@code github.actions.v1}).
 *
 * <p>An open set rather than a Java enum: a kind added by a newer writer reads as an unknown kind
 * that keeps its wire name (so a record copied on keeps it too), instead of failing the record.
 * {@link #known()} tells the kinds this version knows from the others.
 *
 * @param wireName the lowercase name on the wire, e.g. {@code workflow_run}
 */
public record TargetKind(@JsonValue String wireName) implements WireEnum {
    private static final Pattern WIRE = Pattern.compile("[a-z][a-z0-9_]*");

    /** An issue, by its number. */
    public static final TargetKind ISSUE = new TargetKind("issue");

    /** A pull request, by its number (issues and pull requests share one numbering per repo). */
    public static final TargetKind PULL_REQUEST = new TargetKind("pull_request");

    /** A workflow run, by its run id. */
    public static final TargetKind WORKFLOW_RUN = new TargetKind("workflow_run");

    /** A git ref, by its full name ({@code refs/heads/main}). */
    public static final TargetKind REF = new TargetKind("ref");

    /** A commit, by its 40-digit SHA (lowercase). */
    public static final TargetKind COMMIT = new TargetKind("commit");

    /** A workflow, by its id or its file name ({@code ci.yml}), as GitHub's API takes either. */
    public static final TargetKind WORKFLOW = new TargetKind("workflow");

    /** A message sent outside GitHub (Slack, PagerDuty), by its dedup key. */
    public static final TargetKind NOTIFICATION = new TargetKind("notification");

    private static final List<TargetKind> KNOWN =
            List.of(ISSUE, PULL_REQUEST, WORKFLOW_RUN, REF, COMMIT, WORKFLOW, NOTIFICATION);

    public TargetKind {
        Require.text(wireName, "typed_target.kind");
        if (!WIRE.matcher(wireName).matches()) {
            throw new IllegalArgumentException(
                    "typed_target.kind must be a lowercase word (a-z, 0-9, _), got '"
                            + wireName
                            + "'");
        }
    }

    /**
     * The kind named {@code wire}: one of the constants, or an unknown kind that keeps the name.
     */
    @JsonCreator
    public static TargetKind of(String wire) {
        for (TargetKind k : KNOWN) {
            if (k.wireName.equals(wire)) {
                return k;
            }
        }
        return new TargetKind(wire);
    }

    /** Every kind this version knows, in the order the schema lists them. */
    public static List<TargetKind> values() {
        return KNOWN;
    }

    /** Whether this version knows the kind; an unknown one came from a newer writer. */
    public boolean known() {
        return KNOWN.contains(this);
    }

    @Override
    public String toString() {
        return wireName;
    }
}

package io.repostream.flink.rules.merge;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the eligibility rule knows of one open pull request, kept in keyed state as JSON ({@link
 * MergeStateCodec}): a field added later reads as its default from state written before it.
 */
public final class PullRequestState {
    public long number;

    /** The base branch's name ({@code main}), from the latest pull request snapshot. */
    public String base;

    /** The head commit; a new one starts the checks over. */
    public String headSha;

    public boolean draft;

    /** GitHub's {@code mergeable}: null until GitHub has computed it. */
    public Boolean mergeable;

    /** Label names; null while no event has said what they are. */
    public List<String> labels;

    /** Lines added plus deleted; null when no event has said. */
    public Integer changedLines;

    /** Event time (epoch ms) of the pull request snapshot the fields above come from. */
    public long snapshotAt;

    /** Each reviewer's latest approving or change-requesting review, by lowercase login. */
    public Map<String, Review> reviews = new TreeMap<>();

    /** The last verdict ({@code Verdict#key}): a report is made only when it changes. */
    public String verdictKey;

    /** Whether the last verdict said eligible. */
    public boolean eligible;

    /** Whether the pull request carried its label at the last verdict. */
    public boolean labelled;

    /** Reports made for this pull request so far: numbers each one's action id. */
    public int reports;

    /**
     * The head SHA a merge was last requested for: at most one request per head. Null again when
     * GitHub said the head had moved from it (the merge pinned to it is forgotten).
     */
    public String mergeRequestedSha;

    /**
     * The head SHA whose merge did not happen, as its audit record said: no merge is asked again at
     * it (a new head starts over). Null when none was refused.
     */
    public String mergeRefusedSha;

    /** Why ({@link MergeRefusal#label()}), beside {@link #mergeRefusedSha}. */
    public String mergeRefusal;

    /** The GitHub App installation of the latest event, for actions made from an audit record. */
    public Long installationId;

    /**
     * A review that counts.
     *
     * @param id the review's id
     * @param state {@code approved} or {@code changes_requested}
     * @param at event time, epoch ms
     */
    public record Review(long id, String state, long at) {}
}

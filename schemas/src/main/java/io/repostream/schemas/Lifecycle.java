package io.repostream.schemas;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.repostream.schemas.RepoPolicy.BusinessCalendar;
import io.repostream.schemas.RepoPolicy.Mode;
import java.time.Duration;
import java.util.List;

/**
 * Section {@code lifecycle:} of a {@link RepoPolicy} (the lifecycle rule's): open issues and pull
 * requests nobody has touched become stale, then rotten, then are closed, as Prow's lifecycle
 * plugin and actions/stale do; an item waiting for its author's answer is closed when none comes.
 * Off unless the section is present, in every form of policy (it came after sections). Each period
 * counts from the previous step: an item is stale after {@code stale_after} without activity,
 * rotten {@code rotten_after} later, closed {@code close_after} after that.
 *
 * @param mode on (default when the section is present), shadow or off
 * @param staleAfter inactivity after which an item gets {@code stale_label} (default 90 days)
 * @param rottenAfter time stale, without activity, after which it gets {@code rotten_label}
 *     (default 30 days)
 * @param closeAfter time rotten, without activity, after which it is closed (default 30 days)
 * @param businessDays whether the periods count working days of {@code calendar} only (its working
 *     days and holidays, in its time zone; its working hours are not used: a day counts whole)
 * @param calendar the working days, holidays and time zone of {@code business_days}; the same
 *     settings as {@code sla.calendar}
 * @param staleLabel the label of a stale item ({@code lifecycle/stale}, as Prow)
 * @param rottenLabel the label of a rotten item ({@code lifecycle/rotten}, as Prow)
 * @param exemptLabels an item with any of these labels is left alone ({@code lifecycle/frozen})
 * @param exemptMilestones an item in a milestone with one of these titles is left alone
 * @param exemptAllMilestones an item in any milestone is left alone
 * @param exemptAssigned an item with an assignee is left alone
 * @param exemptDrafts a draft pull request is left alone
 * @param bots logins whose activity does not count (besides accounts of type {@code Bot}, logins
 *     ending in {@code [bot]} and the policy's {@code ignore_users})
 * @param awaitingResponse the label that says an item waits for its author, and what happens when
 *     no answer comes
 */
public record Lifecycle(
        Mode mode,
        @JsonDeserialize(using = PolicyDuration.Deserializer.class) Duration staleAfter,
        @JsonDeserialize(using = PolicyDuration.Deserializer.class) Duration rottenAfter,
        @JsonDeserialize(using = PolicyDuration.Deserializer.class) Duration closeAfter,
        Boolean businessDays,
        BusinessCalendar calendar,
        String staleLabel,
        String rottenLabel,
        List<String> exemptLabels,
        List<String> exemptMilestones,
        Boolean exemptAllMilestones,
        Boolean exemptAssigned,
        Boolean exemptDrafts,
        List<String> bots,
        AwaitingResponse awaitingResponse) {

    public static final String DEFAULT_STALE_LABEL = "lifecycle/stale";
    public static final String DEFAULT_ROTTEN_LABEL = "lifecycle/rotten";
    public static final String FROZEN_LABEL = "lifecycle/frozen";

    public Lifecycle {
        mode = mode == null ? Mode.ON : mode;
        staleAfter = period(staleAfter, Duration.ofDays(90), "lifecycle.stale_after");
        rottenAfter = period(rottenAfter, Duration.ofDays(30), "lifecycle.rotten_after");
        closeAfter = period(closeAfter, Duration.ofDays(30), "lifecycle.close_after");
        businessDays = businessDays != null && businessDays;
        calendar = calendar == null ? BusinessCalendar.always() : calendar;
        staleLabel =
                Require.text(
                        staleLabel == null ? DEFAULT_STALE_LABEL : staleLabel,
                        "lifecycle.stale_label");
        rottenLabel =
                Require.text(
                        rottenLabel == null ? DEFAULT_ROTTEN_LABEL : rottenLabel,
                        "lifecycle.rotten_label");
        if (staleLabel.equalsIgnoreCase(rottenLabel)) {
            throw new IllegalArgumentException(
                    "lifecycle.stale_label and lifecycle.rotten_label must differ, both are "
                            + staleLabel);
        }
        exemptLabels = exemptLabels == null ? List.of(FROZEN_LABEL) : List.copyOf(exemptLabels);
        exemptMilestones = Require.list(exemptMilestones);
        exemptAllMilestones = exemptAllMilestones != null && exemptAllMilestones;
        exemptAssigned = exemptAssigned != null && exemptAssigned;
        exemptDrafts = exemptDrafts != null && exemptDrafts;
        bots = Require.list(bots);
        awaitingResponse =
                awaitingResponse == null ? AwaitingResponse.defaults() : awaitingResponse;
    }

    private static Duration period(Duration given, Duration otherwise, String field) {
        return given == null ? otherwise : Require.positive(given, field);
    }

    /** On, with every default. */
    public static Lifecycle defaults() {
        return builder().build();
    }

    /** The section absent: the rule is off. */
    public static Lifecycle off() {
        return builder().mode(Mode.OFF).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .mode(mode)
                .staleAfter(staleAfter)
                .rottenAfter(rottenAfter)
                .closeAfter(closeAfter)
                .businessDays(businessDays)
                .calendar(calendar)
                .staleLabel(staleLabel)
                .rottenLabel(rottenLabel)
                .exemptLabels(exemptLabels)
                .exemptMilestones(exemptMilestones)
                .exemptAllMilestones(exemptAllMilestones)
                .exemptAssigned(exemptAssigned)
                .exemptDrafts(exemptDrafts)
                .bots(bots)
                .awaitingResponse(awaitingResponse);
    }

    /**
     * Whether activity by {@code login} (of payload type {@code type}) is a bot's: it then neither
     * counts as activity nor resets the clock.
     */
    public boolean isBot(String login, String type) {
        return Accounts.isBot(login, type) || Accounts.named(bots, login);
    }

    /**
     * {@code awaiting_response:}: an item labelled {@code label} waits for its author; the author's
     * next comment removes the label, and without one within {@code close_after} the item is closed
     * with {@code comment} (and how to reopen it).
     *
     * @param label the label (default {@code awaiting-author})
     * @param closeAfter how long the author has to answer (default 14 days)
     * @param comment what the closing comment says before how to reopen
     */
    public record AwaitingResponse(
            String label,
            @JsonDeserialize(using = PolicyDuration.Deserializer.class) Duration closeAfter,
            String comment) {
        public static final String DEFAULT_LABEL = "awaiting-author";
        public static final String DEFAULT_COMMENT =
                "Closed: this was waiting for an answer from its author, and none came.";

        public AwaitingResponse {
            label =
                    Require.text(
                            label == null ? DEFAULT_LABEL : label,
                            "lifecycle.awaiting_response.label");
            closeAfter =
                    period(
                            closeAfter,
                            Duration.ofDays(14),
                            "lifecycle.awaiting_response.close_after");
            comment =
                    Require.text(
                            comment == null ? DEFAULT_COMMENT : comment,
                            "lifecycle.awaiting_response.comment");
        }

        public static AwaitingResponse defaults() {
            return new AwaitingResponse(null, null, null);
        }
    }

    /** Builds a {@link Lifecycle} section; a field not set gets its default. */
    public static final class Builder {
        private Mode mode;
        private Duration staleAfter;
        private Duration rottenAfter;
        private Duration closeAfter;
        private Boolean businessDays;
        private BusinessCalendar calendar;
        private String staleLabel;
        private String rottenLabel;
        private List<String> exemptLabels;
        private List<String> exemptMilestones;
        private Boolean exemptAllMilestones;
        private Boolean exemptAssigned;
        private Boolean exemptDrafts;
        private List<String> bots;
        private AwaitingResponse awaitingResponse;

        private Builder() {}

        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        public Builder staleAfter(Duration staleAfter) {
            this.staleAfter = staleAfter;
            return this;
        }

        public Builder rottenAfter(Duration rottenAfter) {
            this.rottenAfter = rottenAfter;
            return this;
        }

        public Builder closeAfter(Duration closeAfter) {
            this.closeAfter = closeAfter;
            return this;
        }

        public Builder businessDays(Boolean businessDays) {
            this.businessDays = businessDays;
            return this;
        }

        public Builder calendar(BusinessCalendar calendar) {
            this.calendar = calendar;
            return this;
        }

        public Builder staleLabel(String staleLabel) {
            this.staleLabel = staleLabel;
            return this;
        }

        public Builder rottenLabel(String rottenLabel) {
            this.rottenLabel = rottenLabel;
            return this;
        }

        public Builder exemptLabels(List<String> exemptLabels) {
            this.exemptLabels = exemptLabels;
            return this;
        }

        public Builder exemptMilestones(List<String> exemptMilestones) {
            this.exemptMilestones = exemptMilestones;
            return this;
        }

        public Builder exemptAllMilestones(Boolean exemptAllMilestones) {
            this.exemptAllMilestones = exemptAllMilestones;
            return this;
        }

        public Builder exemptAssigned(Boolean exemptAssigned) {
            this.exemptAssigned = exemptAssigned;
            return this;
        }

        public Builder exemptDrafts(Boolean exemptDrafts) {
            this.exemptDrafts = exemptDrafts;
            return this;
        }

        public Builder bots(List<String> bots) {
            this.bots = bots;
            return this;
        }

        public Builder awaitingResponse(AwaitingResponse awaitingResponse) {
            this.awaitingResponse = awaitingResponse;
            return this;
        }

        public Lifecycle build() {
            return new Lifecycle(
                    mode,
                    staleAfter,
                    rottenAfter,
                    closeAfter,
                    businessDays,
                    calendar,
                    staleLabel,
                    rottenLabel,
                    exemptLabels,
                    exemptMilestones,
                    exemptAllMilestones,
                    exemptAssigned,
                    exemptDrafts,
                    bots,
                    awaitingResponse);
        }
    }
}

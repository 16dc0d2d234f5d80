package io.repostream.testkit.github;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An issue, or a pull request (which on GitHub is an issue with a {@link SimulatedPull}). Mutable;
 * guarded by the simulator's lock.
 */
final class SimulatedIssue {
    final long id;
    final int number;
    final String author;
    final Instant createdAt;
    final SimulatedPull pull;

    String title;
    String body;
    String state = "open";
    String stateReason;
    Instant updatedAt;
    Instant closedAt;
    String closedBy;
    final List<SimulatedLabel> labels = new ArrayList<>();
    final Set<String> assignees = new LinkedHashSet<>();
    int comments;

    SimulatedIssue(
            long id,
            int number,
            String title,
            String body,
            String author,
            Instant createdAt,
            SimulatedPull pull) {
        this.id = id;
        this.number = number;
        this.title = title;
        this.body = body;
        this.author = author;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        this.pull = pull;
    }

    boolean isPullRequest() {
        return pull != null;
    }

    boolean isOpen() {
        return "open".equals(state);
    }

    Optional<SimulatedLabel> label(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return labels.stream()
                .filter(l -> l.name().toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst();
    }

    List<String> labelNames() {
        return labels.stream().map(SimulatedLabel::name).toList();
    }
}

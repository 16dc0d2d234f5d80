package io.repostream.ml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.repostream.ml.data.BuildTable;
import io.repostream.ml.data.LabeledBuild;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeSplitTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** Project "old" builds hourly from T0, project "new" hourly from T0 + 100 h; 10 each. */
    private static BuildTable twoProjects() {
        List<LabeledBuild> builds = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            builds.add(build("old-" + i, "old", i));
            builds.add(build("new-" + i, "new", 100 + i));
        }
        return new BuildTable("two projects", List.of("x"), List.of("project"), builds);
    }

    private static LabeledBuild build(String ref, String project, int hour) {
        return new LabeledBuild(
                ref,
                T0.plusSeconds(3600L * hour),
                null,
                hour % 3 != 0,
                new double[] {hour},
                List.of(project + "\u0000"));
    }

    private static List<String> refs(BuildTable t) {
        return t.builds().stream().map(LabeledBuild::ref).toList();
    }

    @Test
    void cutsAllBuildsAtOnceSoTheOlderProjectIsOnlyTrainedOn() {
        TimeSplit split = TimeSplit.of(twoProjects(), 0.6, 0.2);
        assertThat(refs(split.test())).containsExactly("new-6", "new-7", "new-8", "new-9");
    }

    @Test
    void perProjectCutsEachProjectsOwnHistoryOldestToNewest() {
        TimeSplit split = TimeSplit.perProject(twoProjects(), 0.6, 0.2);

        assertThat(refs(split.train()))
                .containsExactlyInAnyOrder(
                        "old-0", "old-1", "old-2", "old-3", "old-4", "old-5", "new-0", "new-1",
                        "new-2", "new-3", "new-4", "new-5");
        assertThat(refs(split.validation())).containsExactly("old-6", "old-7", "new-6", "new-7");
        assertThat(refs(split.test())).containsExactly("old-8", "old-9", "new-8", "new-9");
        assertThat(TimeSplit.projects(split.test())).containsExactly("old", "old", "new", "new");
    }

    @Test
    void perProjectNeedsAProjectGrouping() {
        BuildTable t = twoProjects();
        BuildTable noProject =
                new BuildTable(t.source(), t.featureNames(), List.of("branch"), t.builds());
        assertThatThrownBy(() -> TimeSplit.perProject(noProject, 0.6, 0.2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no 'project' history grouping");
        assertThat(TimeSplit.projects(noProject)).isNull();
    }
}

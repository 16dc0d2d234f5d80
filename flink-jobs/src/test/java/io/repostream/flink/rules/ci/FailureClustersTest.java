package io.repostream.flink.rules.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unknown failures that differ only in numbers, hashes and paths are one cluster. */
class FailureClustersTest {

    @Test
    void normalisesTimesHashesUuidsPathsQuotedValuesAndNumbers() {
        String text =
                "2026-12-07T10:00:01.123Z upload of /home/runner/work/w/out-17.tar failed"
                        + " (id 0f3a2b1c9d, req 123e4567-e89b-12d3-a456-426614174000) in"
                        + " /tmp/build-9/x: \"bucket-42\" after 3.5 s";

        assertThat(FailureClusters.normalise(text))
                .isEqualTo(
                        "<time> upload of out-<n>.tar failed (id <hex> , req <uuid> ) in <tmp>"
                                + " <str> after <n> s");
    }

    @Test
    void aRepeatedFailureJoinsItsClusterAndADifferentOneStartsAnother() {
        List<FailureClusters.Cluster> clusters = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            FailureClusters.Assigned a =
                    FailureClusters.assign(
                            clusters,
                            "Error: deploy to staging-"
                                    + i
                                    + " failed: lock held by job "
                                    + (4711 + i)
                                    + " since 2026-12-0"
                                    + (i + 1)
                                    + "T00:00:00Z");
            clusters = a.clusters();
            ids.add(a.cluster().id());
        }
        FailureClusters.Assigned other =
                FailureClusters.assign(clusters, "Segmentation fault in libvips while resizing");

        assertThat(ids).containsOnly(ids.get(0));
        assertThat(ids.get(0)).matches("u-[0-9a-f]{8}");
        assertThat(other.cluster().id()).isNotEqualTo(ids.get(0));
        assertThat(other.clusters()).hasSize(2);
        assertThat(other.clusters().get(0).count()).isEqualTo(5);
    }

    @Test
    void theSameFailureGetsTheSameIdWhereverItIsFirstSeen() {
        String text = "No such container: ci-runner-88";

        assertThat(FailureClusters.assign(List.of(), text).cluster().id())
                .isEqualTo(FailureClusters.assign(List.of(), text).cluster().id());
    }

    @Test
    void keepsAtMostTheClustersItMayDroppingTheLeastRecentlySeen() {
        List<FailureClusters.Cluster> clusters = List.of();
        String first = null;
        for (int i = 0; i < FailureClusters.MAX_CLUSTERS + 10; i++) {
            String tag = "" + (char) ('a' + i % 26) + (char) ('a' + i / 26);
            FailureClusters.Assigned a =
                    FailureClusters.assign(
                            clusters, "failure " + tag + "one " + tag + "two " + tag + "three");
            clusters = a.clusters();
            first = first == null ? a.cluster().id() : first;
        }

        assertThat(clusters).hasSize(FailureClusters.MAX_CLUSTERS);
        String gone = first;
        assertThat(clusters).noneMatch(c -> c.id().equals(gone));
    }
}

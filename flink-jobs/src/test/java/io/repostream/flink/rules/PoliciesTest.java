package io.repostream.flink.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.RepoPolicy;
import org.junit.jupiter.api.Test;

class PoliciesTest {

    @Test
    void buildsTheDefaultPolicyOfARepositoryOnceForAllItsEvents() {
        RepoPolicy first = Policies.defaults("octo-org/no-policy");

        for (int i = 0; i < 1000; i++) {
            assertThat(Policies.defaults("octo-org/no-policy")).isSameAs(first);
        }
        assertThat(first).isEqualTo(RepoPolicy.defaults("octo-org/no-policy"));
        assertThat(Policies.defaults("octo-org/other").repo()).isEqualTo("octo-org/other");
    }

    @Test
    void keepsABoundedNumberOfDefaultPolicies() {
        for (int i = 0; i <= Policies.MAX_CACHED_DEFAULTS; i++) {
            assertThat(Policies.defaults("octo-org/repo-" + i).repo())
                    .isEqualTo("octo-org/repo-" + i);
        }

        assertThat(Policies.cachedDefaults()).isLessThanOrEqualTo(Policies.MAX_CACHED_DEFAULTS);
    }
}

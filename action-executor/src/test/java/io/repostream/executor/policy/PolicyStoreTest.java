package io.repostream.executor.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.RepoPolicy;
import org.junit.jupiter.api.Test;

class PolicyStoreTest {
    private static RepoPolicy dryRunPolicy(String repo) {
        return RepoPolicy.builder(repo).dryRun(true).actionBudgetPerHour(300).build();
    }

    @Test
    void aRepoWithoutAPolicyGetsTheDefaultsEveryTime() {
        PolicyStore store = new PolicyStore();

        RepoPolicy first = store.of("acme/widgets");

        assertThat(first).isEqualTo(RepoPolicy.defaults("acme/widgets"));
        assertThat(store.of("acme/widgets")).isSameAs(first);
        assertThat(store.of("acme/gadgets").repo()).isEqualTo("acme/gadgets");
    }

    @Test
    void aPolicyThatArrivesAfterTheDefaultsWereAskedForReplacesThem() {
        PolicyStore store = new PolicyStore();
        assertThat(store.of("acme/widgets").dryRun()).isFalse();

        store.put(dryRunPolicy("acme/widgets"));

        assertThat(store.of("acme/widgets").dryRun()).isTrue();
    }

    @Test
    void aRemovedPolicyFallsBackToTheDefaults() {
        PolicyStore store = new PolicyStore();
        store.put(dryRunPolicy("acme/widgets"));
        assertThat(store.of("acme/widgets").dryRun()).isTrue();

        store.remove("Acme/Widgets");

        assertThat(store.of("acme/widgets")).isEqualTo(RepoPolicy.defaults("acme/widgets"));
    }
}

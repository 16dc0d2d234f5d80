package io.repostream.testkit.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A collaborator's permission, as GitHub answers it: role, legacy base role, ETag, 404s. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SimulatorCollaboratorsTest {
    private static final String PERMISSION = "/repos/octo/widgets/collaborators/%s/permission";

    private GitHubSimulator simulator;
    private SimulatorHttp http;

    @BeforeEach
    void start() {
        simulator = GitHubSimulator.start();
        simulator.createRepo("octo/widgets");
        http = new SimulatorHttp(simulator.baseUrl(), GitHubSimulator.DEFAULT_TOKEN);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    static Stream<Arguments> roles() {
        return Stream.of(
                Arguments.of("read", "read", false),
                Arguments.of("triage", "read", true),
                Arguments.of("write", "write", true),
                Arguments.of("maintain", "write", true),
                Arguments.of("admin", "admin", true));
    }

    @ParameterizedTest(name = "{0} reads as permission {1}")
    @MethodSource("roles")
    void answersTheRoleAndItsLegacyBaseRole(String role, String legacy, boolean canTriage) {
        simulator.setCollaborator("octo/widgets", "carol", role);

        SimulatorHttp.Response r = http.get(PERMISSION.formatted("carol"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("role_name").asText()).isEqualTo(role);
        assertThat(r.json().path("permission").asText()).isEqualTo(legacy);
        assertThat(r.json().path("user").path("login").asText()).isEqualTo("carol");
        assertThat(r.json().path("user").path("permissions").path("triage").asBoolean())
                .isEqualTo(canTriage);
    }

    @Test
    void aKnownAccountWithoutARoleHasNoneAndTheOwnerIsAdmin() {
        simulator.createIssue("octo/widgets", "Hi", "...", "dave");

        assertThat(http.get(PERMISSION.formatted("dave")).json().path("permission").asText())
                .isEqualTo("none");
        assertThat(http.get(PERMISSION.formatted("octo")).json().path("role_name").asText())
                .isEqualTo("admin");
    }

    @Test
    void anUnknownAccountOrRepositoryIsNotFound() {
        assertThat(http.get(PERMISSION.formatted("ghost")).status()).isEqualTo(404);
        assertThat(http.get("/repos/octo/nothing/collaborators/octo/permission").status())
                .isEqualTo(404);
    }

    @Test
    void anUnchangedPermissionIsA304AndAChangedOneANewAnswer() {
        simulator.setCollaborator("octo/widgets", "carol", "read");
        SimulatorHttp.Response first = http.get(PERMISSION.formatted("carol"));
        String etag = first.header("ETag");

        SimulatorHttp.Response same =
                http.get(PERMISSION.formatted("carol"), "If-None-Match", etag);
        simulator.setCollaborator("octo/widgets", "carol", "triage");
        SimulatorHttp.Response changed =
                http.get(PERMISSION.formatted("carol"), "If-None-Match", etag);

        assertThat(etag).isNotBlank();
        assertThat(same.status()).isEqualTo(304);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("role_name").asText()).isEqualTo("triage");
    }
}

package io.repostream.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.executor.github.AppPermission;
import io.repostream.githubapp.AppJwt;
import io.repostream.githubapp.AppPrivateKey;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares what each installation of the App grants ({@code GET /app/installations}: its {@code
 * permissions} and {@code events}) with what the enabled rules need, and prints one line per need:
 * OK, or what is missing and which rule needs it.
 */
public final class InstallationCheck {
    /** One line of the table. */
    public record Line(boolean ok, String need, String neededBy, String detail) {}

    /** An installation and its lines. */
    public record Result(long id, String account, String targetType, List<Line> lines) {
        public boolean ok() {
            return lines.stream().allMatch(Line::ok);
        }
    }

    private final AppCredentials app;
    private final GitHubEndpoints github;
    private final AppRequirements needs;

    public InstallationCheck(AppCredentials app, GitHubEndpoints github, AppRequirements needs) {
        this.app = app;
        this.github = github;
        this.needs = needs;
    }

    /** Every installation of the App, checked. */
    public List<Result> run() {
        AppJwt jwt =
                new AppJwt(app.appId(), AppPrivateKey.fromPem(app.privateKey()), Clock.systemUTC());
        GitHubRest rest = new GitHubRest(github.apiUrl());
        List<Result> results = new ArrayList<>();
        String next = "/app/installations?per_page=100";
        while (next != null) {
            GitHubRest.Answer answer = rest.get(next, jwt.token());
            if (answer.status() != 200) {
                throw new IllegalStateException(
                        "GitHub answered "
                                + answer.status()
                                + " to GET /app/installations as App "
                                + app.appId()
                                + ": "
                                + answer.message());
            }
            for (JsonNode installation : answer.body()) {
                results.add(check(installation));
            }
            next = answer.next().orElse(null);
        }
        return results;
    }

    private Result check(JsonNode installation) {
        Map<String, String> granted = new HashMap<>();
        installation
                .path("permissions")
                .fields()
                .forEachRemaining(e -> granted.put(e.getKey(), e.getValue().asText()));
        Set<String> events = new HashSet<>();
        installation.path("events").forEach(e -> events.add(e.asText()));
        List<Line> lines = new ArrayList<>();
        for (AppRequirements.Permission need : needs.permissions().values()) {
            AppPermission p = need.permission();
            boolean ok = p.grantedBy(granted);
            lines.add(
                    new Line(
                            ok,
                            p.toString(),
                            String.join(", ", need.neededBy()),
                            ok
                                    ? ""
                                    : granted.containsKey(p.name())
                                            ? "granted: " + granted.get(p.name())
                                            : "not granted"));
        }
        for (AppRequirements.Event need : needs.events().values()) {
            boolean ok = events.contains(need.name());
            lines.add(
                    new Line(
                            ok,
                            "event " + need.name(),
                            String.join(", ", need.neededBy()),
                            ok ? "" : "not subscribed"));
        }
        return new Result(
                installation.path("id").asLong(),
                installation.path("account").path("login").asText("?"),
                installation.path("target_type").asText("?"),
                lines);
    }

    /** The table, one block per installation; returns whether everything is there. */
    public static boolean print(
            List<Result> results, AppCredentials app, GitHubEndpoints github, PrintWriter out) {
        if (results.isEmpty()) {
            out.println(
                    "MISSING  installation: App "
                            + app.slug()
                            + " is installed nowhere; install it at "
                            + github.webUrl()
                            + "/apps/"
                            + app.slug()
                            + "/installations/new");
            out.flush();
            return false;
        }
        boolean ok = true;
        for (Result r : results) {
            out.printf(
                    "Installation %d on %s (%s): %s%n",
                    r.id(), r.account(), r.targetType(), r.ok() ? "OK" : "something is missing");
            int width = r.lines().stream().mapToInt(l -> l.need().length()).max().orElse(10);
            for (Line l : r.lines()) {
                out.printf(
                        "  %-8s %-" + width + "s  needed by %s%s%n",
                        l.ok() ? "OK" : "MISSING",
                        l.need(),
                        l.neededBy(),
                        l.detail().isEmpty() ? "" : " (" + l.detail() + ")");
            }
            ok &= r.ok();
        }
        if (!ok) {
            out.println(
                    "Grant what is missing in the App's settings ("
                            + (app.htmlUrl() != null
                                    ? app.htmlUrl()
                                    : github.webUrl() + "/apps/" + app.slug())
                            + "), then accept the new permissions on each installation.");
        }
        out.flush();
        return ok;
    }
}

package io.repostream.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.serviceconfig.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code repostream app}: the GitHub App the rules act as. */
@Command(
        name = "app",
        description = "The GitHub App: its manifest, creating it, checking its installations.",
        mixinStandardHelpOptions = true,
        subcommands = {AppCommand.Manifest.class, AppCommand.Create.class, AppCommand.Check.class})
public final class AppCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    public static CommandLine commandLine() {
        // ServiceCommandLine: its Duration options take 15m, 30s as every service's do
        return io.repostream.serviceconfig.ServiceCommandLine.of(new AppCommand());
    }

    @Override
    public Integer call() {
        spec.commandLine()
                .getErr()
                .println("repostream app: a command is required (manifest, create, check)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.CANNOT_START;
    }

    /** Which rules, and so which permissions and events. */
    static final class RuleSelection {
        @Option(
                names = "--rules",
                split = ",",
                paramLabel = "SECTION",
                defaultValue = "${env:REPOSTREAM_APP_RULES}",
                description =
                        "the policy sections of the rules the App serves, e.g. triage,sla (env"
                                + " REPOSTREAM_APP_RULES; default: every registered rule)")
        List<String> sections = new ArrayList<>();

        AppRequirements needs() {
            return AppRequirements.forSections(sections == null ? List.of() : sections);
        }
    }

    /** Where GitHub is. */
    static final class Endpoints {
        @Option(
                names = "--github-web-url",
                defaultValue = "${env:REPOSTREAM_GITHUB_WEB_URL}",
                description =
                        "GitHub's web address (env REPOSTREAM_GITHUB_WEB_URL; default "
                                + GitHubEndpoints.DEFAULT_WEB_URL
                                + "; GitHub Enterprise Server: https://HOST)")
        String webUrl;

        @Option(
                names = "--github-api-url",
                defaultValue = "${env:REPOSTREAM_GITHUB_API_URL}",
                description =
                        "GitHub REST base URL (env REPOSTREAM_GITHUB_API_URL; default "
                                + GitHubEndpoints.DEFAULT_API_URL
                                + "; GitHub Enterprise Server: https://HOST/api/v3)")
        String apiUrl;

        GitHubEndpoints resolve(String fileWeb, String fileApi) {
            return new GitHubEndpoints(
                    first(webUrl, fileWeb, GitHubEndpoints.DEFAULT_WEB_URL),
                    first(apiUrl, fileApi, GitHubEndpoints.DEFAULT_API_URL));
        }

        private static String first(String... values) {
            for (String v : values) {
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
            return null;
        }
    }

    @Command(
            name = "manifest",
            mixinStandardHelpOptions = true,
            description =
                    "Prints the App manifest the enabled rules need (permissions, events), for"
                            + " reading or for GitHub's form by hand.")
    static final class Manifest implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin RuleSelection rules = new RuleSelection();

        @Option(names = "--name", defaultValue = "repostream", description = "the App's name")
        String name;

        @Option(
                names = "--webhook-url",
                defaultValue = "https://example.invalid/webhooks/github",
                description = "where GitHub posts webhooks (the bridge's /webhooks/github)")
        String webhookUrl;

        @Option(
                names = "--homepage-url",
                defaultValue = "https://github.com",
                description = "the App's homepage")
        String homepageUrl;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.println(
                    AppManifest.of(name, homepageUrl, webhookUrl, null, rules.needs())
                            .toPrettyString());
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Creates the GitHub App with GitHub's manifest flow: serves a page on 127.0.0.1"
                        + " that sends the manifest (the permissions and events the enabled rules"
                        + " need) to GitHub; you confirm there; GitHub's code comes back to the"
                        + " page and is exchanged for the App's id, private key and webhook secret,"
                        + " written to --out with mode 600 (never printed)."
            })
    static final class Create implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin RuleSelection rules = new RuleSelection();
        @CommandLine.Mixin Endpoints endpoints = new Endpoints();

        @Option(
                names = "--org",
                description = "the organization that owns the App (default: your own account)")
        String org;

        @Option(
                names = "--name",
                description = "the App's name, unique on GitHub (default repostream-ORG)")
        String name;

        @Option(
                names = "--webhook-url",
                required = true,
                description =
                        "where GitHub posts webhooks: the bridge's https://HOST/webhooks/github"
                                + " (without a public address, any https URL: the bridge's pull"
                                + " mode reads the deliveries GitHub records)")
        String webhookUrl;

        @Option(
                names = "--homepage-url",
                description = "the App's homepage (default: the organization's page on GitHub)")
        String homepageUrl;

        @Option(
                names = "--out",
                defaultValue = "repostream-app.yaml",
                description = "the credentials file written, mode 600 (default ${DEFAULT-VALUE})")
        Path out;

        @Option(
                names = "--key-out",
                description =
                        "also write the private key alone, PEM, mode 600 (for executor run"
                                + " --github-app-key-file)")
        Path keyOut;

        @Option(
                names = "--k8s-secret-out",
                description =
                        "also write the Kubernetes Secrets the chart reads (<fullname>-github with"
                                + " private-key.pem, <fullname>-webhook with secret), mode 600,"
                                + " for kubectl apply -f")
        Path k8sSecretOut;

        @Option(
                names = "--k8s-fullname",
                defaultValue = "repostream",
                description =
                        "the chart's full name, the Secrets' prefix (default ${DEFAULT-VALUE})")
        String k8sFullname;

        @Option(names = "--k8s-namespace", description = "the Secrets' namespace (default: none)")
        String k8sNamespace;

        @Option(
                names = "--force",
                description = "replace --out (and --key-out, --k8s-secret-out) if it exists")
        boolean force;

        @Option(
                names = "--port",
                defaultValue = "0",
                description = "the local page's port on 127.0.0.1 (default: any free port)")
        int port;

        @Option(
                names = "--timeout",
                defaultValue = "15m",
                description = "how long to wait for the flow to finish (default ${DEFAULT-VALUE})")
        Duration timeout;

        @Override
        public Integer call() {
            PrintWriter stdout = spec.commandLine().getOut();
            List<Path> written = new java.util.ArrayList<>(List.of(out));
            if (keyOut != null) {
                written.add(keyOut);
            }
            if (k8sSecretOut != null) {
                written.add(k8sSecretOut);
            }
            for (Path file : written) {
                if (!force && java.nio.file.Files.exists(file)) {
                    throw new IllegalArgumentException(file + " exists; --force replaces it");
                }
            }
            GitHubEndpoints github = endpoints.resolve(null, null);
            AppRequirements needs = rules.needs();
            String appName = name != null ? name : "repostream-" + (org != null ? org : "app");
            String homepage =
                    homepageUrl != null
                            ? homepageUrl
                            : github.webUrl() + (org != null ? "/" + org : "");
            JsonNode app =
                    new ManifestFlow(
                                    new ManifestFlow.Settings(
                                            github,
                                            org,
                                            port,
                                            timeout,
                                            redirect ->
                                                    AppManifest.of(
                                                            appName,
                                                            homepage,
                                                            webhookUrl,
                                                            redirect,
                                                            needs)),
                                    stdout)
                            .run();
            AppCredentials credentials =
                    new AppCredentials(
                            app.path("id").asLong(),
                            app.path("slug").asText(),
                            app.path("html_url").asText(null),
                            github.apiUrl(),
                            github.webUrl(),
                            app.path("client_id").asText(null),
                            app.path("client_secret").asText(null),
                            app.path("webhook_secret").asText(null),
                            app.path("pem").asText(null));
            credentials.write(out, force);
            if (keyOut != null) {
                credentials.writePrivateKey(keyOut, force);
                stdout.println("The private key alone (PEM, mode 600): " + keyOut);
            }
            if (k8sSecretOut != null) {
                KubernetesSecrets.write(
                        k8sSecretOut, k8sFullname, k8sNamespace, credentials, force);
                stdout.println(
                        "The Kubernetes Secrets "
                                + k8sFullname
                                + "-github and "
                                + k8sFullname
                                + "-webhook (mode 600): "
                                + k8sSecretOut
                                + "; kubectl apply -f it, then install the chart with"
                                + " github.auth=app, github.app.id="
                                + credentials.appId());
            }
            stdout.println(
                    "Created GitHub App "
                            + credentials.slug()
                            + " (id "
                            + credentials.appId()
                            + "); its private key and webhook secret are in "
                            + out
                            + " (mode 600).");
            stdout.println(
                    "Next: install it on the repositories it should serve: "
                            + github.webUrl()
                            + "/apps/"
                            + credentials.slug()
                            + "/installations/new");
            stdout.println("Then: repostream app check --app-file " + out);
            stdout.flush();
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description =
                    "Authenticates as the App and checks that each installation grants the"
                            + " permissions and subscribes to the events the enabled rules need.",
            footer = {
                "",
                "Exit codes: 0 every installation has everything; 1 something is missing (or no"
                        + " installation); 2 could not start (an unreadable file, GitHub"
                        + " unreachable or refusing the App)."
            })
    static final class Check implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin RuleSelection rules = new RuleSelection();
        @CommandLine.Mixin Endpoints endpoints = new Endpoints();

        @Option(
                names = "--app-file",
                defaultValue = "${env:REPOSTREAM_APP_FILE:-repostream-app.yaml}",
                description =
                        "the credentials file app create wrote (env REPOSTREAM_APP_FILE; default"
                                + " ${DEFAULT-VALUE})")
        Path appFile;

        @Override
        public Integer call() {
            AppCredentials app = AppCredentials.read(appFile);
            if (AppCredentials.readableByOthers(appFile)) {
                spec.commandLine()
                        .getErr()
                        .println(
                                "repostream app check: warning: "
                                        + appFile
                                        + " is readable by others; chmod 600 it");
            }
            GitHubEndpoints github = endpoints.resolve(app.webUrl(), app.apiUrl());
            AppRequirements needs = rules.needs();
            List<InstallationCheck.Result> results =
                    new InstallationCheck(app, github, needs).run();
            boolean ok = InstallationCheck.print(results, app, github, spec.commandLine().getOut());
            return ok ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}

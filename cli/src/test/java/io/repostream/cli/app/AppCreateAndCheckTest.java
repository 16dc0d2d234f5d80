package io.repostream.cli.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.cli.RepostreamMain;
import io.repostream.githubapp.AppPrivateKey;
import io.repostream.serviceconfig.ExitCodes;
import io.repostream.testkit.github.GitHubSimulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code repostream app create} and {@code app check} against the GitHub simulator, with a real
 * HTTP client in the browser's place: it loads the launcher's page, posts its form to GitHub's
 * manifest page and follows GitHub's redirect back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AppCreateAndCheckTest {
    private static final Pattern FORM =
            Pattern.compile(
                    "action=\"([^\"]+)\"><input type=\"hidden\" name=\"manifest\" value=\"([^\"]+)\"");

    private final HttpClient browser = HttpClient.newHttpClient();
    private GitHubSimulator github;
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void start() {
        github = GitHubSimulator.start();
        github.createOrganization("acme");
        github.createRepo("acme/api");
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = RepostreamMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private String[] endpoints(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(
                List.of(
                        "--github-web-url", github.baseUrl(),
                        "--github-api-url", github.baseUrl()));
        return all.toArray(String[]::new);
    }

    @Test
    void createsTheAppThroughTheManifestFlowAndKeepsItsSecretsInAnOwnerOnlyFile() throws Exception {
        github.signInOnWeb("alice");
        int port = freePort();
        Path file = dir.resolve("app.yaml");
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "app",
                                "create",
                                "--org",
                                "acme",
                                "--rules",
                                "triage,sla",
                                "--webhook-url",
                                "https://hooks.example.com/webhooks/github",
                                "--port",
                                String.valueOf(port),
                                "--out",
                                file.toString(),
                                "--key-out",
                                dir.resolve("app.pem").toString(),
                                "--k8s-secret-out",
                                dir.resolve("secrets.yaml").toString(),
                                "--k8s-namespace",
                                "repostream",
                                "--timeout",
                                "60s"));
        args.addAll(List.of(endpoints()));
        CompletableFuture<Run> create =
                CompletableFuture.supplyAsync(() -> run(args.toArray(String[]::new)));

        // the browser: the launcher's page, its form posted to GitHub, GitHub's redirect followed
        String page =
                await().atMost(Duration.ofSeconds(30))
                        .ignoreExceptions()
                        .until(() -> get("http://127.0.0.1:" + port + "/").body(), b -> b != null);
        Matcher form = FORM.matcher(page);
        assertThat(form.find()).as(page).isTrue();
        String action = unescape(form.group(1));
        String manifest = unescape(form.group(2));
        assertThat(action)
                .startsWith(github.baseUrl() + "/organizations/acme/settings/apps/new?state=");
        HttpResponse<String> confirmed = postForm(action, "manifest", manifest);
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(302);
        String callback = confirmed.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith("http://127.0.0.1:" + port + "/callback?code=");
        HttpResponse<String> back = get(callback);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);

        Run done = create.get(60, TimeUnit.SECONDS);
        assertThat(done.code()).as(done.toString()).isEqualTo(ExitCodes.OK);
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("app.pem")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        AppCredentials app = AppCredentials.read(file);
        assertThat(Files.readString(dir.resolve("app.pem"))).isEqualTo(app.privateKey());
        assertThat(app.slug()).isEqualTo("repostream-acme");
        assertThat(app.privateKey()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(AppPrivateKey.fromPem(app.privateKey()).getModulus().bitLength())
                .isEqualTo(2048);
        // the Secrets the chart reads, as kubectl would apply them
        Path secrets = dir.resolve("secrets.yaml");
        assertThat(Files.getPosixFilePermissions(secrets))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<com.fasterxml.jackson.databind.JsonNode> docs = new java.util.ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper(
                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readerFor(com.fasterxml.jackson.databind.JsonNode.class)
                .readValues(secrets.toFile())
                .forEachRemaining(d -> docs.add((com.fasterxml.jackson.databind.JsonNode) d));
        assertThat(docs).extracting(d -> d.path("kind").asText()).containsOnly("Secret");
        assertThat(docs)
                .extracting(d -> d.path("metadata").path("name").asText())
                .containsExactly("repostream-github", "repostream-webhook");
        assertThat(docs.get(0).path("metadata").path("namespace").asText()).isEqualTo("repostream");
        assertThat(docs.get(0).path("stringData").path("private-key.pem").asText())
                .isEqualTo(app.privateKey());
        assertThat(docs.get(1).path("stringData").path("secret").asText())
                .isEqualTo(app.webhookSecret());
        assertThat(done.out() + done.err())
                .contains("Created GitHub App repostream-acme")
                .doesNotContain(app.webhookSecret())
                .doesNotContain(app.clientSecret())
                .doesNotContain("PRIVATE KEY");

        // the App as GitHub registered it: what triage and sla need, from the manifest
        AppRequirements needs = AppRequirements.forSections(List.of("triage", "sla"));
        github.installApp(
                app.appId(), 900, levels(needs), List.copyOf(needs.events().keySet()), "acme/api");
        Run check =
                run(
                        endpoints(
                                "app",
                                "check",
                                "--rules",
                                "triage,sla",
                                "--app-file",
                                file.toString()));
        assertThat(check.code()).as(check.toString()).isEqualTo(ExitCodes.OK);
        assertThat(check.out()).contains("Installation 900 on acme (Organization): OK");

        // a second code for the same flow is not accepted: the page is gone with the flow
        assertThat(run(args.toArray(String[]::new)).err()).contains("exists; --force replaces it");
    }

    @Test
    void aCallbackWithoutTheFlowsStateIsRefusedAndTheFlowWaitsOn() throws Exception {
        int port = freePort();
        CompletableFuture<Run> create =
                CompletableFuture.supplyAsync(
                        () ->
                                run(
                                        endpoints(
                                                "app",
                                                "create",
                                                "--webhook-url",
                                                "https://hooks.example.com/x",
                                                "--port",
                                                String.valueOf(port),
                                                "--out",
                                                dir.resolve("x.yaml").toString(),
                                                "--timeout",
                                                "3s")));
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> get("http://127.0.0.1:" + port + "/").statusCode() == 200);
        HttpResponse<String> forged =
                get("http://127.0.0.1:" + port + "/callback?code=abc&state=guess");
        assertThat(forged.statusCode()).isEqualTo(400);

        Run timedOut = create.get(60, TimeUnit.SECONDS);
        assertThat(timedOut.code()).isEqualTo(ExitCodes.CANNOT_START);
        assertThat(timedOut.err())
                .contains("repostream: nobody finished the App manifest flow within PT3S");
        assertThat(dir.resolve("x.yaml")).doesNotExist();
    }

    @Test
    void checkNamesEachMissingPermissionAndEventWithTheRuleThatNeedsIt() throws Exception {
        Path file = appFile(77);
        github.installApp(
                77,
                501,
                Map.of(
                        "issues",
                        "write",
                        "metadata",
                        "read",
                        "actions",
                        "read",
                        "pull_requests",
                        "read"),
                List.of("issues", "workflow_run"),
                "acme/api");

        Run check = run(endpoints("app", "check", "--rules", "ci", "--app-file", file.toString()));

        assertThat(check.code()).as(check.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(check.out())
                .contains("Installation 501 on acme (Organization): something is missing")
                .containsPattern(
                        "MISSING +actions: write +needed by .*ci-retry: rerun_failed_jobs.*\\(granted: read\\)")
                .containsPattern(
                        "MISSING +checks: write +needed by ci-failure-classifier: event check_run,"
                                + " repo-config: create_check_run \\(not granted\\)")
                .containsPattern(
                        "MISSING +event check_run +needed by ci-failure-classifier \\(not subscribed\\)")
                .containsPattern(
                        "OK +event workflow_run +needed by ci-failure-classifier, ci-retry")
                .containsPattern("OK +issues: write");
    }

    @Test
    void checkSaysWhereToInstallAnAppInstalledNowhere() throws Exception {
        Path file = appFile(78);

        Run check = run(endpoints("app", "check", "--app-file", file.toString()));

        assertThat(check.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(check.out())
                .contains(
                        "is installed nowhere; install it at "
                                + github.baseUrl()
                                + "/apps/app-78/installations/new");
    }

    @Test
    void checkRefusesAFileThatIsNotAnAppsInOneLine() throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, "app_id: [\n");
        Run broken = run(endpoints("app", "check", "--app-file", file.toString()));
        assertThat(broken.code()).isEqualTo(ExitCodes.CANNOT_START);
        assertThat(broken.err())
                .startsWith("repostream: " + file + " is not an App credentials file");

        Run missing =
                run(endpoints("app", "check", "--app-file", dir.resolve("none.yaml").toString()));
        assertThat(missing.code()).isEqualTo(ExitCodes.CANNOT_START);
        assertThat(missing.err()).contains("does not exist (repostream app create writes it)");
    }

    /** A registered app (simulator slug app-ID) and its credentials file. */
    private Path appFile(long appId) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        github.registerApp(appId, keys.getPublic());
        String pem =
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(keys.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
        Path file = dir.resolve("app-" + appId + ".yaml");
        new AppCredentials(
                        appId,
                        "app-" + appId,
                        null,
                        github.baseUrl(),
                        github.baseUrl(),
                        null,
                        null,
                        "s3cret",
                        pem)
                .write(file, false);
        return file;
    }

    private static Map<String, String> levels(AppRequirements needs) {
        Map<String, String> levels = new java.util.HashMap<>();
        needs.permissions().forEach((k, v) -> levels.put(k, v.permission().level()));
        return levels;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return browser.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(String url, String field, String value) throws Exception {
        return browser.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        field
                                                + "="
                                                + URLEncoder.encode(value, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

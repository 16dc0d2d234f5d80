package io.repostream.console;

import io.repostream.console.web.GitHubSignIn;
import io.repostream.serviceconfig.ExitCodes;
import io.repostream.serviceconfig.KafkaOptions;
import io.repostream.serviceconfig.OptionPrecedence;
import io.repostream.serviceconfig.ServiceCommandLine;
import io.repostream.serviceconfig.SettingsBinding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code repostream-console}: indexes the topics into PostgreSQL and serves the pages until
 * stopped. The database password comes from a file or an environment variable, never from the
 * command line, where {@code ps} shows it.
 */
@Command(
        name = "repostream-console",
        mixinStandardHelpOptions = true,
        version = "repostream console 0.1.0",
        description =
                "Operator console: indexes github.actions.v1, github.snapshots.v1,"
                        + " github.audit.v1 and github.events.v1 into PostgreSQL and serves the Actions pages (live),"
                        + " each action's diff and audit trail, and their JSON API.",
        footer = {
            "",
            "Exit codes: 0 stopped on request; 2 could not start (the reason on one line)."
        })
public final class ConsoleMain implements Callable<Integer> {
    /** {@code --bootstrap-servers}, {@code --kafka-properties-file}: as every service has them. */
    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-c", "--config"},
            defaultValue = "${env:REPOSTREAM_CONFIG}",
            paramLabel = "FILE",
            description =
                    "YAML settings file (env REPOSTREAM_CONFIG): an option or its environment"
                            + " variable wins over the file, the file over the default; an unknown"
                            + " key is refused by name; no secrets in it (their *_file keys, or"
                            + " the environment)")
    Path configFile;

    @Option(
            names = "--database-url",
            defaultValue =
                    "${env:REPOSTREAM_CONSOLE_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/repostream_console}",
            description =
                    "JDBC URL of the console's PostgreSQL database; its schema is migrated on start"
                            + " (env REPOSTREAM_CONSOLE_DATABASE_URL; default ${DEFAULT-VALUE})")
    String databaseUrl;

    @Option(
            names = "--database-user",
            defaultValue = "${env:REPOSTREAM_CONSOLE_DATABASE_USER:-repostream_console}",
            description =
                    "PostgreSQL user (env REPOSTREAM_CONSOLE_DATABASE_USER; default"
                            + " ${DEFAULT-VALUE})")
    String databaseUser;

    @Option(
            names = "--database-password-file",
            description =
                    "file holding the PostgreSQL password; otherwise the env var"
                            + " REPOSTREAM_CONSOLE_DATABASE_PASSWORD is read (may be empty)")
    Path databasePasswordFile;

    @Option(
            names = "--host",
            defaultValue = "${env:REPOSTREAM_CONSOLE_HOST:-" + ConsoleConfig.DEFAULT_HOST + "}",
            description =
                    "address the web server binds; 0.0.0.0 in a pod (env REPOSTREAM_CONSOLE_HOST;"
                            + " default ${DEFAULT-VALUE})")
    String host;

    @Option(
            names = "--port",
            defaultValue = "${env:REPOSTREAM_CONSOLE_PORT:-" + ConsoleConfig.DEFAULT_PORT + "}",
            description = "web server port (env REPOSTREAM_CONSOLE_PORT; default ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--github-web-url",
            defaultValue =
                    "${env:REPOSTREAM_GITHUB_WEB_URL:-"
                            + ConsoleConfig.DEFAULT_GITHUB_WEB_URL
                            + "}",
            description =
                    "GitHub's web address, for links to items (env REPOSTREAM_GITHUB_WEB_URL;"
                            + " default ${DEFAULT-VALUE})")
    String githubWebUrl;

    @Option(
            names = "--executor-admin-url",
            defaultValue = "${env:REPOSTREAM_EXECUTOR_ADMIN_URL}",
            description =
                    "the executor's admin API (http://executor:8081), through which every undo goes;"
                            + " without it the console shows but cannot undo (env"
                            + " REPOSTREAM_EXECUTOR_ADMIN_URL)")
    String executorAdminUrl;

    @Option(
            names = "--executor-admin-token-file",
            description =
                    "file holding the executor's admin token; otherwise the env var"
                            + " REPOSTREAM_ADMIN_TOKEN is read")
    Path executorAdminTokenFile;

    @Option(
            names = "--no-sign-in",
            description =
                    "LOCAL/DEMO MODE: no sign-in, anybody who reaches the port may see and undo"
                            + " everything; every page and the log say so. Either this or"
                            + " --github-client-id is required.")
    boolean noSignIn;

    @Option(
            names = "--github-client-id",
            defaultValue = "${env:REPOSTREAM_GITHUB_CLIENT_ID}",
            description =
                    "client id of the OAuth App (or GitHub App) people sign in with (env"
                            + " REPOSTREAM_GITHUB_CLIENT_ID); its secret comes from"
                            + " --github-client-secret-file or REPOSTREAM_GITHUB_CLIENT_SECRET")
    String githubClientId;

    @Option(
            names = "--github-client-secret-file",
            description = "file holding the OAuth client secret")
    Path githubClientSecretFile;

    @Option(
            names = "--github-api-url",
            defaultValue = "${env:REPOSTREAM_GITHUB_API_URL:-https://api.github.com}",
            description =
                    "GitHub's API, for sign-in (env REPOSTREAM_GITHUB_API_URL; default"
                            + " ${DEFAULT-VALUE})")
    String githubApiUrl;

    @Option(
            names = "--public-url",
            defaultValue = "${env:REPOSTREAM_CONSOLE_PUBLIC_URL}",
            description =
                    "the console's address as browsers reach it (https://console.example.com);"
                            + " GitHub sends people back to PUBLIC_URL/oauth/callback, the app's"
                            + " callback URL (env REPOSTREAM_CONSOLE_PUBLIC_URL)")
    String publicUrl;

    @Option(
            names = "--sign-in-repo",
            defaultValue = "${env:REPOSTREAM_CONSOLE_SIGN_IN_REPO}",
            description =
                    "owner/repo whose GitHub permission gives the roles: admin -> admin (kill"
                            + " switch), maintain/write -> operator (undo), triage/read -> viewer"
                            + " (env REPOSTREAM_CONSOLE_SIGN_IN_REPO)")
    String signInRepo;

    @Option(
            names = "--github-oauth-scope",
            defaultValue = "${env:REPOSTREAM_GITHUB_OAUTH_SCOPE:-}",
            description =
                    "OAuth scopes to ask for: none for a GitHub App or public repositories, repo"
                            + " for an OAuth App on a private one (env REPOSTREAM_GITHUB_OAUTH_SCOPE)")
    String githubOAuthScope;

    @Option(
            names = "--session-timeout",
            defaultValue = "${env:REPOSTREAM_CONSOLE_SESSION_TIMEOUT:-PT8H}",
            description =
                    "how long a session lives without a request, ISO-8601 (env"
                            + " REPOSTREAM_CONSOLE_SESSION_TIMEOUT; default ${DEFAULT-VALUE})")
    java.time.Duration sessionTimeout;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for tests and embedding. */
    public static CommandLine commandLine() {
        return ServiceCommandLine.of(new ConsoleMain());
    }

    /** The configuration the options, their environment variables and the settings file give. */
    ConsoleConfig config() {
        ConsoleSettings file =
                configFile == null
                        ? ConsoleSettings.NONE
                        : SettingsBinding.read(configFile, ConsoleSettings.class);
        OptionPrecedence given = new OptionPrecedence(spec);
        ConsoleSettings.Database db = file.database();
        ConsoleSettings.Web web = file.web();
        ConsoleSettings.Executor admin = file.executor();
        String adminUrl =
                given.pick(
                        "--executor-admin-url",
                        "REPOSTREAM_EXECUTOR_ADMIN_URL",
                        executorAdminUrl,
                        admin.adminUrl());
        Path adminTokenFile =
                given.pick(
                        "--executor-admin-token-file",
                        "REPOSTREAM_ADMIN_TOKEN",
                        executorAdminTokenFile,
                        path(admin.adminTokenFile()));
        return new ConsoleConfig(
                        kafka.bootstrapServers(file.kafka().bootstrapServers()),
                        kafka.properties(path(file.kafka().propertiesFile())),
                        given.pick(
                                "--database-url",
                                "REPOSTREAM_CONSOLE_DATABASE_URL",
                                databaseUrl,
                                db.url()),
                        given.pick(
                                "--database-user",
                                "REPOSTREAM_CONSOLE_DATABASE_USER",
                                databaseUser,
                                db.user()),
                        secret(
                                given.pick(
                                        "--database-password-file",
                                        "REPOSTREAM_CONSOLE_DATABASE_PASSWORD",
                                        databasePasswordFile,
                                        path(db.passwordFile())),
                                "REPOSTREAM_CONSOLE_DATABASE_PASSWORD",
                                "the database password"),
                        given.pick("--host", "REPOSTREAM_CONSOLE_HOST", host, web.host()),
                        given.pick("--port", "REPOSTREAM_CONSOLE_PORT", port, web.port()),
                        githubWebUrl(given, file))
                .withExecutorAdmin(
                        adminUrl,
                        adminUrl == null
                                ? null
                                : secret(
                                        adminTokenFile,
                                        "REPOSTREAM_ADMIN_TOKEN",
                                        "the executor's admin token"))
                .withSignIn(
                        signIn(given, file),
                        given.pick(
                                "--session-timeout",
                                "REPOSTREAM_CONSOLE_SESSION_TIMEOUT",
                                sessionTimeout,
                                file.signIn().sessionTimeout()));
    }

    private String githubWebUrl(OptionPrecedence given, ConsoleSettings file) {
        return given.pick(
                "--github-web-url",
                "REPOSTREAM_GITHUB_WEB_URL",
                githubWebUrl,
                file.github().webUrl());
    }

    /** GitHub sign-in, or null with an explicit --no-sign-in; neither or both is refused. */
    private GitHubSignIn.Settings signIn(OptionPrecedence given, ConsoleSettings file) {
        ConsoleSettings.SignIn s = file.signIn();
        String clientId =
                given.pick(
                        "--github-client-id",
                        "REPOSTREAM_GITHUB_CLIENT_ID",
                        githubClientId,
                        s.clientId());
        boolean local =
                Boolean.TRUE.equals(
                        given.pick("--no-sign-in", null, noSignIn ? true : null, s.disabled()));
        boolean github = clientId != null && !clientId.isBlank();
        if (github == local) {
            throw new IllegalArgumentException(
                    github
                            ? "--no-sign-in and --github-client-id exclude each other"
                            : "choose how people sign in: --github-client-id (with"
                                    + " --github-client-secret-file, --public-url, --sign-in-repo)"
                                    + " for GitHub sign-in, or --no-sign-in for a local demo");
        }
        if (!github) {
            return null;
        }
        return new GitHubSignIn.Settings(
                clientId,
                secret(
                        given.pick(
                                "--github-client-secret-file",
                                "REPOSTREAM_GITHUB_CLIENT_SECRET",
                                githubClientSecretFile,
                                path(s.clientSecretFile())),
                        "REPOSTREAM_GITHUB_CLIENT_SECRET",
                        "the GitHub OAuth client secret"),
                githubWebUrl(given, file),
                given.pick(
                        "--github-api-url",
                        "REPOSTREAM_GITHUB_API_URL",
                        githubApiUrl,
                        file.github().apiUrl()),
                given.pick(
                        "--public-url",
                        "REPOSTREAM_CONSOLE_PUBLIC_URL",
                        publicUrl,
                        file.web().publicUrl()),
                given.pick(
                        "--sign-in-repo", "REPOSTREAM_CONSOLE_SIGN_IN_REPO", signInRepo, s.repo()),
                given.pick(
                        "--github-oauth-scope",
                        "REPOSTREAM_GITHUB_OAUTH_SCOPE",
                        githubOAuthScope,
                        s.oauthScope()));
    }

    private static Path path(String file) {
        return file == null ? null : Path.of(file);
    }

    /** A secret from its file, else from its environment variable; never from argv. */
    private static String secret(Path file, String env, String what) {
        if (file == null) {
            return System.getenv(env);
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the file holding " + what + ": " + file);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        ConsoleConfig config = config();
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<Console> running = new AtomicReference<>();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    Console console = running.get();
                                    if (console != null) {
                                        console.close();
                                    }
                                    stop.countDown();
                                },
                                "console-shutdown"));
        running.set(Console.start(config));
        stop.await();
        return ExitCodes.OK;
    }
}

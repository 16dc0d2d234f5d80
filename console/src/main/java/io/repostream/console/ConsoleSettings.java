package io.repostream.console;

import java.time.Duration;

/**
 * The console's settings file ({@code --config FILE}) as {@link
 * io.repostream.serviceconfig.SettingsBinding} binds it: one record per section, one component per
 * key (snake_case in the file), nothing else, so a key that is not here is refused by name. A key
 * left out is null and keeps the option's default; a section left out is empty. Secrets have no
 * key: they come from the files the {@code *_file} keys name, or from the environment, so that the
 * file can be a ConfigMap.
 */
record ConsoleSettings(
        Kafka kafka, Database database, Web web, GitHub github, Executor executor, SignIn signIn) {

    static final ConsoleSettings NONE = new ConsoleSettings(null, null, null, null, null, null);

    ConsoleSettings {
        kafka = kafka == null ? new Kafka(null, null) : kafka;
        database = database == null ? new Database(null, null, null) : database;
        web = web == null ? new Web(null, null, null) : web;
        github = github == null ? new GitHub(null, null) : github;
        executor = executor == null ? new Executor(null, null) : executor;
        signIn = signIn == null ? new SignIn(null, null, null, null, null, null) : signIn;
    }

    record Kafka(String bootstrapServers, String propertiesFile) {}

    record Database(String url, String user, String passwordFile) {}

    record Web(String host, Integer port, String publicUrl) {}

    record GitHub(String webUrl, String apiUrl) {}

    record Executor(String adminUrl, String adminTokenFile) {}

    /** {@code disabled: true} is {@code --no-sign-in}, the local/demo mode. */
    record SignIn(
            Boolean disabled,
            String clientId,
            String clientSecretFile,
            String repo,
            String oauthScope,
            Duration sessionTimeout) {}
}

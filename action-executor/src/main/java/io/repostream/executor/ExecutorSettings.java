package io.repostream.executor;

import java.time.Duration;

/**
 * The executor's settings file ({@code --config FILE}) as Jackson binds it: one record per section,
 * one component per key (snake_case in the file), nothing else. {@link
 * io.repostream.serviceconfig.SettingsBinding} refuses a key that is not here, naming it, its
 * section and the file; a key left out is null and keeps the option's default. Secrets have no key:
 * they come from files (the {@code *_file} keys) or the environment, so that the settings file can
 * be a ConfigMap.
 */
record ExecutorSettings(
        Kafka kafka,
        GitHub github,
        Consumer consumer,
        Admin admin,
        Pacing pacing,
        Boolean killSwitch,
        Notifications notifications) {

    static final ExecutorSettings NONE =
            new ExecutorSettings(null, null, null, null, null, null, null);

    record Kafka(String bootstrapServers, String propertiesFile) {}

    record GitHub(String apiUrl, String tokenFile, Long appId, String appKeyFile) {}

    record Consumer(String groupId, String instanceId) {}

    record Admin(
            Integer port, String host, String tokenFile, String tlsCertFile, String tlsKeyFile) {}

    record Pacing(
            Duration writeSpacing,
            Integer contentCreationsPerMinute,
            Integer contentCreationsPerHour) {}

    /**
     * Slack and PagerDuty: URLs, and the files holding the bot token and the routing keys (by the
     * names policies use; the keys themselves never appear in a policy or an action).
     */
    record Notifications(
            String slackApiUrl,
            String slackTokenFile,
            String pagerdutyEventsUrl,
            java.util.Map<String, String> pagerdutyRoutingKeyFiles) {}

    Notifications notificationsOrEmpty() {
        return notifications == null ? new Notifications(null, null, null, null) : notifications;
    }

    Kafka kafkaOrEmpty() {
        return kafka == null ? new Kafka(null, null) : kafka;
    }

    GitHub githubOrEmpty() {
        return github == null ? new GitHub(null, null, null, null) : github;
    }

    Consumer consumerOrEmpty() {
        return consumer == null ? new Consumer(null, null) : consumer;
    }

    Admin adminOrEmpty() {
        return admin == null ? new Admin(null, null, null, null, null) : admin;
    }

    Pacing pacingOrEmpty() {
        return pacing == null ? new Pacing(null, null, null) : pacing;
    }
}

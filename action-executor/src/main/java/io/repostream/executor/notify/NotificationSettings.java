package io.repostream.executor.notify;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where the executor delivers notifications and the secrets it does so with. The Slack bot token
 * and the PagerDuty routing keys are secrets: they come from files or the environment, never from
 * an action (an action names a routing key by its name here) and never go into a log line, an
 * error, an audit record or a metric; {@link #toString()} masks them.
 *
 * @param slackApiUrl the Web API root ({@code https://slack.com/api}, or a simulator's)
 * @param slackToken the bot token ({@code xoxb-...}) sent as {@code Authorization: Bearer}; null:
 *     Slack notifications fail, audited with why
 * @param pagerDutyEventsUrl the Events API v2 root ({@code https://events.pagerduty.com})
 * @param routingKeys PagerDuty routing keys (integration keys) by the name policies use
 * @param timeout connect and answer timeout of one request
 */
public record NotificationSettings(
        String slackApiUrl,
        String slackToken,
        String pagerDutyEventsUrl,
        Map<String, String> routingKeys,
        Duration timeout) {

    public static final String SLACK_API_URL = "https://slack.com/api";
    public static final String PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com";

    /** Nothing configured: every notification fails, audited with what is missing. */
    public static final NotificationSettings NONE =
            new NotificationSettings(null, null, null, Map.of(), null);

    public NotificationSettings {
        slackApiUrl = trimSlash(slackApiUrl == null ? SLACK_API_URL : slackApiUrl);
        pagerDutyEventsUrl =
                trimSlash(pagerDutyEventsUrl == null ? PAGERDUTY_EVENTS_URL : pagerDutyEventsUrl);
        routingKeys = routingKeys == null ? Map.of() : Map.copyOf(routingKeys);
        routingKeys.forEach(
                (name, key) -> {
                    if (name.isBlank() || key == null || key.isBlank()) {
                        throw new IllegalArgumentException(
                                "a PagerDuty routing key needs a name and a value (name '"
                                        + name
                                        + "')");
                    }
                });
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        slackToken = slackToken == null || slackToken.isBlank() ? null : slackToken.strip();
    }

    public NotificationSettings withSlack(String apiUrl, String token) {
        return new NotificationSettings(apiUrl, token, pagerDutyEventsUrl, routingKeys, timeout);
    }

    public NotificationSettings withPagerDuty(String eventsUrl, Map<String, String> keys) {
        return new NotificationSettings(slackApiUrl, slackToken, eventsUrl, keys, timeout);
    }

    private static String trimSlash(String url) {
        Objects.requireNonNull(url);
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "NotificationSettings[slackApiUrl="
                + slackApiUrl
                + ", slackToken="
                + (slackToken == null ? "none" : "****")
                + ", pagerDutyEventsUrl="
                + pagerDutyEventsUrl
                + ", routingKeys="
                + new TreeMap<>(routingKeys).keySet()
                + " (values masked), timeout="
                + timeout
                + "]";
    }
}

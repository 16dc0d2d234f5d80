package io.repostream.cli.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A GitHub App manifest (GitHub's "Registering a GitHub App from a manifest"): the App's name and
 * homepage, its webhook, where GitHub sends the browser back with the code, and the permissions and
 * events the enabled rules need ({@link AppRequirements}), no more.
 */
public final class AppManifest {
    private AppManifest() {}

    /**
     * @param redirectUrl where GitHub redirects with {@code code} (the launcher's loopback page);
     *     null leaves it out (a manifest printed for reading)
     */
    public static ObjectNode of(
            String name,
            String homepageUrl,
            String webhookUrl,
            String redirectUrl,
            AppRequirements needs) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("name", name);
        m.put("url", homepageUrl);
        m.put(
                "description",
                "repostream: real-time, reversible GitHub automation (rules: "
                        + String.join(", ", needs.rules())
                        + ")");
        ObjectNode hook = m.putObject("hook_attributes");
        hook.put("url", webhookUrl);
        hook.put("active", true);
        if (redirectUrl != null) {
            m.put("redirect_url", redirectUrl);
        }
        m.put("public", false);
        ObjectNode permissions = m.putObject("default_permissions");
        needs.permissions().forEach((key, need) -> permissions.put(key, need.permission().level()));
        needs.events().keySet().forEach(m.putArray("default_events")::add);
        return m;
    }
}

package io.repostream.cli.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A new App's secrets as the Kubernetes Secrets the chart reads ({@code helm/repostream}): {@code
 * <fullname>-github} with the private key under {@code private-key.pem} ({@code github.auth: app},
 * {@code github.app.privateKeyKey}) and {@code <fullname>-webhook} with the webhook secret under
 * {@code secret} ({@code bridge.webhook.secretKey}). Written mode 600, for {@code kubectl apply
 * -f}; never printed.
 */
final class KubernetesSecrets {
    static final String PRIVATE_KEY_KEY = "private-key.pem";
    static final String WEBHOOK_SECRET_KEY = "secret";

    private static final ObjectMapper YAML =
            new ObjectMapper(
                    new YAMLFactory()
                            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE));

    private KubernetesSecrets() {}

    /** The two Secrets, as one YAML stream, for the chart installed as {@code fullname}. */
    static String manifest(String fullname, String namespace, AppCredentials app) {
        StringBuilder text =
                new StringBuilder(
                        "# repostream GitHub App secrets (repostream app create). Secret: keep"
                                + " this file mode 600, never commit it.\n"
                                + "# Then: helm install ... --set github.auth=app --set"
                                + " github.app.id="
                                + app.appId()
                                + " --set github.app.installationId=<the installation's id>\n");
        text.append(secret(fullname + "-github", namespace, PRIVATE_KEY_KEY, app.privateKey()));
        text.append(
                secret(fullname + "-webhook", namespace, WEBHOOK_SECRET_KEY, app.webhookSecret()));
        return text.toString();
    }

    private static String secret(String name, String namespace, String key, String value) {
        ObjectNode secret = YAML.createObjectNode();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        ObjectNode metadata = secret.putObject("metadata");
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        metadata.putObject("labels").put("app.kubernetes.io/part-of", "repostream");
        secret.put("type", "Opaque");
        secret.putObject("stringData").put(key, value == null ? "" : value);
        try {
            return YAML.writeValueAsString(secret);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Secret " + name, e);
        }
    }

    /** Writes {@link #manifest} to {@code file}, mode 600 from its first byte. */
    static void write(
            Path file, String fullname, String namespace, AppCredentials app, boolean replace) {
        AppCredentials.writeOwnerOnly(file, manifest(fullname, namespace, app), replace);
    }
}

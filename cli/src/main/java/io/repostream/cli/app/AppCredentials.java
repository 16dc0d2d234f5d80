package io.repostream.cli.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A GitHub App's credentials as the manifest conversion hands them out, in one YAML file that only
 * its owner can read (mode 600): written by {@code repostream app create}, read by {@code
 * repostream app check}. {@link #toString()} shows no secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppCredentials(
        long appId,
        String slug,
        String htmlUrl,
        String apiUrl,
        String webUrl,
        String clientId,
        String clientSecret,
        String webhookSecret,
        String privateKey) {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private static final ObjectMapper YAML =
            new ObjectMapper(
                            new YAMLFactory()
                                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                                    .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE))
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * Writes the file with mode 600 from its first byte (a temporary file beside it, then moved),
     * refusing to replace an existing one unless {@code replace}.
     */
    public void write(Path file, boolean replace) {
        String text;
        try {
            text =
                    "# repostream GitHub App credentials (repostream app create). Secret: keep"
                            + " this file mode 600, never commit it.\n"
                            + YAML.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        writeOwnerOnly(file, text, replace);
    }

    /**
     * Writes the private key alone as a PEM file with mode 600, for {@code repostream executor run
     * --github-app-key-file}.
     */
    public void writePrivateKey(Path file, boolean replace) {
        writeOwnerOnly(file, privateKey, replace);
    }

    /** {@code text} into {@code file}, mode 600 from the first byte (a temporary file, moved). */
    static void writeOwnerOnly(Path file, String text, boolean replace) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (!replace && Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            Files.createDirectories(dir);
            Path temp =
                    Files.createTempFile(
                            dir,
                            ".repostream-app",
                            ".tmp",
                            PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                Files.writeString(temp, text, StandardCharsets.UTF_8);
                Files.move(
                        temp,
                        file,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(file + " exists; --force replaces it");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a file {@link #write} wrote; errors name the file, never a value. */
    public static AppCredentials read(Path file) {
        AppCredentials credentials;
        try {
            credentials = YAML.readValue(file.toFile(), AppCredentials.class);
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(
                    file + " does not exist (repostream app create writes it)");
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(
                    file + " is not an App credentials file: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (credentials == null || credentials.appId() <= 0 || credentials.privateKey() == null) {
            throw new IllegalArgumentException(file + " lacks app_id or private_key");
        }
        return credentials;
    }

    /** Whether {@code file} can be read by anyone but its owner. */
    public static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.contains(PosixFilePermission.GROUP_READ)
                    || p.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "AppCredentials[app " + appId + " (" + slug + "), secrets not shown]";
    }
}

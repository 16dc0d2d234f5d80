package io.repostream.executor.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GitHub App authentication: a JWT signed with the app's private key (RS256) buys an installation
 * token per installation, and each repo's requests use the token of the installation that owns it.
 * Tokens are cached until five minutes before they expire. Neither the key nor a token is ever put
 * into a message.
 */
public final class GitHubApp implements Credentials {
    private static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);

    private final long appId;
    private final PrivateKey key;
    private final String apiUrl;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, Long> installationByRepo = new ConcurrentHashMap<>();
    private final Map<Long, Token> tokens = new ConcurrentHashMap<>();

    /** The app's slug, learnt from an installation lookup; its bot is {@code <slug>[bot]}. */
    private volatile String slug;

    private record Token(String value, Instant expiresAt) {}

    public GitHubApp(
            long appId,
            PrivateKey key,
            String apiUrl,
            HttpClient http,
            Duration timeout,
            Clock clock) {
        this.appId = appId;
        this.key = key;
        this.apiUrl = apiUrl;
        this.http = http;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Reads a PEM private key as GitHub hands it out (PKCS#1) or as PKCS#8. */
    public static PrivateKey privateKey(String pem) {
        boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            byte[] pkcs8 = pkcs1 ? wrapPkcs1(der) : der;
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "the GitHub App private key is not an RSA key in PEM form");
        }
    }

    /** Tells which installation owns a repo, when the action says so; saves a lookup. */
    public void knowInstallation(String repo, long installationId) {
        installationByRepo.put(repo, installationId);
    }

    @Override
    public String authorization(String repo) {
        return "token " + token(installation(repo)).value();
    }

    @Override
    public String budget(String repo) {
        return budgetOf(installation(repo));
    }

    @Override
    public Optional<String> knownBudget(String repo, Long installationId) {
        Long installation = installationId != null ? installationId : installationByRepo.get(repo);
        return Optional.ofNullable(installation).map(GitHubApp::budgetOf);
    }

    private static String budgetOf(long installation) {
        return "installation-" + installation;
    }

    /**
     * The app's JWT, valid for nine minutes (GitHub allows ten), back-dated a minute for clock
     * skew.
     */
    String jwt() {
        long now = clock.instant().getEpochSecond();
        String header = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String payload =
                base64Url(
                        "{\"iat\":"
                                + (now - 60)
                                + ",\"exp\":"
                                + (now + 540)
                                + ",\"iss\":\""
                                + appId
                                + "\"}");
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header
                    + "."
                    + payload
                    + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the GitHub App JWT", e);
        }
    }

    long installation(String repo) {
        Long known = installationByRepo.get(repo);
        if (known != null) {
            return known;
        }
        JsonNode answer =
                send("GET", "/repos/" + repo + "/installation", "installation of " + repo);
        rememberSlug(answer);
        long id = answer.path("id").asLong(0);
        if (id <= 0) {
            throw new GitHubException(
                    "the GitHub App is not installed on " + repo, 404, null, null);
        }
        installationByRepo.put(repo, id);
        return id;
    }

    /**
     * The login the app's installation tokens write as, {@code <slug>[bot]}: comments by it are the
     * app's own. The slug comes from the installation of {@code repo}, asked once.
     */
    public String botLogin(String repo) {
        String known = slug;
        if (known == null) {
            rememberSlug(
                    send("GET", "/repos/" + repo + "/installation", "installation of " + repo));
            known = slug;
            if (known == null) {
                throw new GitHubException(
                        "GitHub named no app slug for the installation on " + repo, 0, null, null);
            }
        }
        return known + "[bot]";
    }

    private void rememberSlug(JsonNode installation) {
        String named = installation.path("app_slug").asText("");
        if (!named.isBlank()) {
            slug = named;
        }
    }

    private Token token(long installation) {
        Token cached = tokens.get(installation);
        if (cached != null
                && clock.instant().isBefore(cached.expiresAt().minus(REFRESH_BEFORE_EXPIRY))) {
            return cached;
        }
        JsonNode answer =
                send(
                        "POST",
                        "/app/installations/" + installation + "/access_tokens",
                        "token of installation " + installation);
        if (!answer.hasNonNull("token") || !answer.hasNonNull("expires_at")) {
            throw new GitHubException(
                    "GitHub sent no token for installation " + installation, 0, null, null);
        }
        Token fresh =
                new Token(
                        answer.get("token").asText(),
                        Instant.parse(answer.get("expires_at").asText()));
        tokens.put(installation, fresh);
        return fresh;
    }

    private JsonNode send(String method, String path, String what) {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(apiUrl + path))
                        .timeout(timeout)
                        .header("Authorization", "Bearer " + jwt())
                        .header("Accept", "application/vnd.github+json")
                        .header("X-GitHub-Api-Version", "2022-11-28")
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GitHubException(
                    "no answer asking GitHub for the " + what + ": " + e.getMessage(), 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException("interrupted asking GitHub for the " + what, 0, null, e);
        }
        GitHubResponse seen = GitHubResponse.of(response.statusCode(), response.headers().map());
        if (response.statusCode() >= 300) {
            throw new GitHubException(
                    "GitHub answered " + response.statusCode() + " asking for the " + what,
                    response.statusCode(),
                    seen,
                    null);
        }
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new GitHubException(
                    "GitHub's answer for the " + what + " is not JSON",
                    response.statusCode(),
                    seen,
                    e);
        }
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** PKCS#1 RSAPrivateKey inside the PKCS#8 PrivateKeyInfo envelope Java's KeyFactory reads. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] algorithm = {
            0x30,
            0x0d,
            0x06,
            0x09,
            0x2a,
            (byte) 0x86,
            0x48,
            (byte) 0x86,
            (byte) 0xf7,
            0x0d,
            0x01,
            0x01,
            0x01,
            0x05,
            0x00
        };
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = concat(new byte[] {0x04}, derLength(pkcs1.length), pkcs1);
        byte[] body = concat(version, algorithm, octets);
        return concat(new byte[] {0x30}, derLength(body.length), body);
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        byte[] digits = BigInteger.valueOf(length).toByteArray();
        int start = digits[0] == 0 ? 1 : 0;
        byte[] out = new byte[digits.length - start + 1];
        out[0] = (byte) (0x80 | (digits.length - start));
        System.arraycopy(digits, start, out, 1, digits.length - start);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += p.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Override
    public String toString() {
        return "GitHub App " + appId + " (key ****)";
    }
}

package io.repostream.bridge.poll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.kohsuke.github.authorization.AuthorizationProvider;

/**
 * A GitHub App's JSON Web Token (RS256, issued by the app id, valid 9 minutes, re-made after 8),
 * which only serves to ask for installation tokens.
 */
final class AppJwt implements AuthorizationProvider {
    private static final Duration LIFETIME = Duration.ofMinutes(9);
    private static final Duration RENEW_AFTER = Duration.ofMinutes(8);
    // GitHub allows for clocks that drift: issue the token a minute in the past.
    private static final Duration BACKDATE = Duration.ofSeconds(60);

    private final long appId;
    private final PrivateKey key;
    private final Clock clock;
    private String jwt;
    private Instant madeAt = Instant.MIN;

    AppJwt(long appId, PrivateKey key) {
        this(appId, key, Clock.systemUTC());
    }

    AppJwt(long appId, PrivateKey key, Clock clock) {
        this.appId = appId;
        this.key = key;
        this.clock = clock;
    }

    @Override
    public synchronized String getEncodedAuthorization() {
        Instant now = clock.instant();
        if (jwt == null || now.isAfter(madeAt.plus(RENEW_AFTER))) {
            jwt = make(now);
            madeAt = now;
        }
        return "Bearer " + jwt;
    }

    String make(Instant now) {
        String header = base64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String claims =
                base64(
                        "{\"iat\":"
                                + now.minus(BACKDATE).getEpochSecond()
                                + ",\"exp\":"
                                + now.plus(LIFETIME).getEpochSecond()
                                + ",\"iss\":\""
                                + appId
                                + "\"}");
        String signed = header + "." + claims;
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed
                    + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the GitHub App JWT of app " + appId, e);
        }
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the app's private key as GitHub hands it out (PEM, PKCS#1 {@code RSA PRIVATE KEY}) or
     * as PKCS#8 ({@code PRIVATE KEY}). Errors name the file, never its content.
     */
    static PrivateKey readPrivateKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read GitHub App private key " + file, e);
        }
        boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            byte[] pkcs8 = pkcs1 ? wrapPkcs1(der) : der;
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "GitHub App private key " + file + " is not an RSA private key in PEM", e);
        }
    }

    /** PKCS#8 = SEQUENCE { 0, SEQUENCE { rsaEncryption OID, NULL }, OCTET STRING { PKCS#1 } }. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
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
        byte[] octets = der(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] length;
        if (n < 0x80) {
            length = new byte[] {(byte) n};
        } else if (n < 0x100) {
            length = new byte[] {(byte) 0x81, (byte) n};
        } else if (n < 0x10000) {
            length = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        } else {
            length = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        }
        byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, n);
        return out;
    }
}

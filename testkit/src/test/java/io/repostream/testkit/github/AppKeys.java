package io.repostream.testkit.github;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/** A GitHub App's key pair for tests, and the RS256 JWTs an app authenticates with. */
final class AppKeys {
    private AppKeys() {}

    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWT issued at {@code iat} (GitHub's advice: 60 s in the past) expiring at {@code exp}. */
    static String jwt(long appId, PrivateKey key, Instant iat, Instant exp) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes());
        String claims =
                b64.encodeToString(
                        ("{\"iat\":"
                                        + iat.getEpochSecond()
                                        + ",\"exp\":"
                                        + exp.getEpochSecond()
                                        + ",\"iss\":\""
                                        + appId
                                        + "\"}")
                                .getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + b64.encodeToString(rsa.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String jwt(long appId, PrivateKey key) {
        Instant now = Instant.now();
        return jwt(appId, key, now.minusSeconds(60), now.plusSeconds(540));
    }
}

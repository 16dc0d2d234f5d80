package io.repostream.bridge.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks GitHub's webhook signatures: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256>} and,
 * only when allowed, the legacy {@code X-Hub-Signature: sha1=<hex HMAC-SHA1>}. Comparison is in
 * constant time; a result never contains a secret or the expected signature.
 */
public final class SignatureVerifier {
    private static final String SHA256_PREFIX = "sha256=";
    private static final String SHA1_PREFIX = "sha1=";

    private final boolean allowSha1;

    public SignatureVerifier(boolean allowSha1) {
        this.allowSha1 = allowSha1;
    }

    /** Why a delivery's signature was refused; {@link #message()} is safe to send back. */
    public enum Failure {
        MISSING(
                "missing X-Hub-Signature-256 header: configure a webhook secret on GitHub and"
                        + " the same secret in the bridge"),
        MALFORMED("X-Hub-Signature-256 must be 'sha256=' followed by 64 hex digits"),
        SHA1_NOT_ALLOWED(
                "only X-Hub-Signature (SHA-1) was sent and SHA-1 signatures are not accepted;"
                        + " send X-Hub-Signature-256"),
        MISMATCH("signature does not match the payload with any configured webhook secret"),
        NO_SECRET("no webhook secret is configured for this repository or organisation");

        private final String message;

        Failure(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }

        /** The metric label. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Verifies {@code body} against the headers with any of {@code secrets}.
     *
     * @return null when the signature is valid, else why not
     */
    public Failure verify(
            byte[] body, String sha256Header, String sha1Header, List<String> secrets) {
        if (sha256Header != null) {
            return check(body, sha256Header, SHA256_PREFIX, "HmacSHA256", 64, secrets);
        }
        if (sha1Header == null) {
            return Failure.MISSING;
        }
        if (!allowSha1) {
            return Failure.SHA1_NOT_ALLOWED;
        }
        return check(body, sha1Header, SHA1_PREFIX, "HmacSHA1", 40, secrets);
    }

    private static Failure check(
            byte[] body,
            String header,
            String prefix,
            String algorithm,
            int hexLength,
            List<String> secrets) {
        String value = header.trim();
        if (!value.regionMatches(true, 0, prefix, 0, prefix.length())
                || value.length() != prefix.length() + hexLength) {
            return Failure.MALFORMED;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(value, prefix.length(), value.length());
        } catch (IllegalArgumentException e) {
            return Failure.MALFORMED;
        }
        if (secrets.isEmpty()) {
            return Failure.NO_SECRET;
        }
        boolean matched = false;
        // Check every secret, not just until the first match, so timing says nothing about which.
        for (String secret : secrets) {
            matched |= MessageDigest.isEqual(hmac(algorithm, secret, body), given);
        }
        return matched ? null : Failure.MISMATCH;
    }

    /** {@code sha256=<hex>} of {@code body} with {@code secret}, as GitHub computes it. */
    public static String sign(String secret, byte[] body) {
        return SHA256_PREFIX + HexFormat.of().formatHex(hmac("HmacSHA256", secret, body));
    }

    private static byte[] hmac(String algorithm, String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every Java runtime ships HmacSHA256 and HmacSHA1; say which without the key.
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }
}

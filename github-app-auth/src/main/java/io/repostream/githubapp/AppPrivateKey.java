package io.repostream.githubapp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a GitHub App's private key from PEM: PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, the form GitHub
 * hands out) or PKCS#8 ({@code BEGIN PRIVATE KEY}, what {@code openssl pkcs8 -topk8} and Java
 * write). The JDK reads PKCS#8 only, and Nimbus reads PKCS#1 only with BouncyCastle, so a PKCS#1
 * key is put into its fixed PKCS#8 envelope first (RFC 5208 §5: version 0, the rsaEncryption
 * algorithm, the PKCS#1 key as an octet string) and read by the JDK, which checks the rest.
 *
 * <p>Errors say what is wrong and, for a file, which file; never any of its content.
 */
public final class AppPrivateKey {
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
    private static final byte[] RSA_ENCRYPTION = {
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

    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private AppPrivateKey() {}

    /**
     * @throws IllegalArgumentException naming what is wrong, not the key
     */
    public static RSAPrivateKey fromPem(String pem) {
        try {
            return parse(pem);
        } catch (InvalidKey e) {
            throw new IllegalArgumentException(
                    "the GitHub App private key is not an RSA key in PEM form: " + e.getMessage());
        }
    }

    /**
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException naming the file and what is wrong, not the key
     */
    public static RSAPrivateKey read(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the GitHub App private key " + file, e);
        }
        try {
            return parse(pem);
        } catch (InvalidKey e) {
            throw new IllegalArgumentException(
                    "the GitHub App private key "
                            + file
                            + " is not an RSA key in PEM form: "
                            + e.getMessage());
        }
    }

    private static RSAPrivateKey parse(String pem) throws InvalidKey {
        Matcher block = PEM.matcher(pem == null ? "" : pem);
        if (!block.find()) {
            throw new InvalidKey("no BEGIN/END block");
        }
        String type = block.group(1);
        boolean pkcs1 = type.equals("RSA PRIVATE KEY");
        if (!pkcs1 && !type.equals("PRIVATE KEY")) {
            throw new InvalidKey(
                    "a PEM block of type "
                            + type
                            + "; expected RSA PRIVATE KEY (as GitHub hands it out) or PRIVATE KEY");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(block.group(2).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidKey("its body is not base64");
        }
        try {
            byte[] pkcs8 = pkcs1 ? pkcs8Of(der) : der;
            if (KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8))
                    instanceof RSAPrivateKey rsa) {
                return rsa;
            }
            throw new InvalidKey("not an RSA private key");
        } catch (GeneralSecurityException | RuntimeException e) {
            // the JDK's messages say which DER tag it did not expect; they hold no key material,
            // but neither do they help the reader more than this
            throw new InvalidKey(
                    pkcs1 ? "not a PKCS#1 RSA private key" : "not a PKCS#8 RSA private key");
        }
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, rsaEncryption, OCTET STRING { pkcs1 } }. */
    static byte[] pkcs8Of(byte[] pkcs1) {
        byte[] key = tagged(0x04, pkcs1);
        byte[] body = new byte[VERSION_0.length + RSA_ENCRYPTION.length + key.length];
        System.arraycopy(VERSION_0, 0, body, 0, VERSION_0.length);
        System.arraycopy(RSA_ENCRYPTION, 0, body, VERSION_0.length, RSA_ENCRYPTION.length);
        System.arraycopy(key, 0, body, VERSION_0.length + RSA_ENCRYPTION.length, key.length);
        return tagged(0x30, body);
    }

    /** A DER element: tag, definite length (short form below 128, else long form), content. */
    private static byte[] tagged(int tag, byte[] content) {
        int n = content.length;
        int lengthBytes = n < 0x80 ? 0 : (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
        byte[] out = new byte[2 + lengthBytes + n];
        out[0] = (byte) tag;
        if (lengthBytes == 0) {
            out[1] = (byte) n;
        } else {
            out[1] = (byte) (0x80 | lengthBytes);
            for (int i = 0; i < lengthBytes; i++) {
                out[2 + i] = (byte) (n >>> (8 * (lengthBytes - 1 - i)));
            }
        }
        System.arraycopy(content, 0, out, 2 + lengthBytes, n);
        return out;
    }

    /** What is wrong with a key, in words that hold none of it. */
    private static final class InvalidKey extends Exception {
        InvalidKey(String reason) {
            super(reason, null, false, false);
        }
    }
}

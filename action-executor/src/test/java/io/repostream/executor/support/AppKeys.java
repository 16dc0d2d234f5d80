package io.repostream.executor.support;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** A GitHub App's RSA key pair for tests: the public half for the simulator, the PEM for us. */
public record AppKeys(KeyPair keys) {

    public static AppKeys generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new AppKeys(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA here", e);
        }
    }

    public java.security.PublicKey publicKey() {
        return keys.getPublic();
    }

    /** The private key as PKCS#8 PEM, as {@code ExecutorConfig.forGitHubApp} takes it. */
    public String privateKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes())
                        .encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }
}

package io.repostream.githubapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AppPrivateKeyTest {
    private static final KeyPair KEYS = Keys.APP;

    static Stream<Arguments> pemForms() {
        return Stream.of(
                Arguments.of("PKCS#1, as GitHub hands it out", Keys.pkcs1Pem(KEYS)),
                Arguments.of("PKCS#8", Keys.pkcs8Pem(KEYS)),
                Arguments.of(
                        "PKCS#1 with Windows line ends", Keys.pkcs1Pem(KEYS).replace("\n", "\r\n")),
                Arguments.of(
                        "PKCS#8 after a comment line", "key of the app\n" + Keys.pkcs8Pem(KEYS)),
                Arguments.of("PKCS#1 on one line", Keys.pkcs1Pem(KEYS).replace("\n", "").trim()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pemForms")
    void readsTheKeyInEachPemFormItComesIn(String form, String pem) {
        assertThat(AppPrivateKey.fromPem(pem).getEncoded())
                .isEqualTo(KEYS.getPrivate().getEncoded());
    }

    @Test
    void readsTheKeyFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.pem");
        Files.writeString(file, Keys.pkcs1Pem(KEYS));
        assertThat(AppPrivateKey.read(file).getEncoded()).isEqualTo(KEYS.getPrivate().getEncoded());
    }

    static Stream<Arguments> badKeys() throws Exception {
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] ecPkcs8 = ec.generateKeyPair().getPrivate().getEncoded();
        byte[] pkcs1 = Base64.getMimeDecoder().decode(body(Keys.pkcs1Pem(KEYS)));
        byte[] cut = java.util.Arrays.copyOf(pkcs1, pkcs1.length / 2);
        return Stream.of(
                Arguments.of("no PEM at all", "just some text", "no BEGIN/END block"),
                Arguments.of(
                        "an encrypted key",
                        Keys.pem("ENCRYPTED PRIVATE KEY", KEYS.getPrivate().getEncoded()),
                        "a PEM block of type ENCRYPTED PRIVATE KEY; expected RSA PRIVATE KEY (as GitHub hands it out) or PRIVATE KEY"),
                Arguments.of(
                        "a public key",
                        Keys.pem("PUBLIC KEY", KEYS.getPublic().getEncoded()),
                        "a PEM block of type PUBLIC KEY; expected RSA PRIVATE KEY (as GitHub hands it out) or PRIVATE KEY"),
                Arguments.of(
                        "a body that is not base64",
                        "-----BEGIN RSA PRIVATE KEY-----\nnot*base64!\n-----END RSA PRIVATE KEY-----",
                        "its body is not base64"),
                Arguments.of(
                        "a PKCS#1 key cut in half",
                        Keys.pem("RSA PRIVATE KEY", cut),
                        "not a PKCS#1 RSA private key"),
                Arguments.of(
                        "an EC key in PKCS#8",
                        Keys.pem("PRIVATE KEY", ecPkcs8),
                        "not a PKCS#8 RSA private key"),
                Arguments.of(
                        "a PKCS#1 key labelled PKCS#8",
                        Keys.pem("PRIVATE KEY", pkcs1),
                        "not a PKCS#8 RSA private key"));
    }

    private static String body(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badKeys")
    void refusesWhatIsNotAnRsaPrivateKeySayingWhyButNotWhatItRead(
            String what, String pem, String reason) {
        assertThatThrownBy(() -> AppPrivateKey.fromPem(pem))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the GitHub App private key is not an RSA key in PEM form: " + reason)
                .hasNoCause()
                .satisfies(e -> assertNoPartOf(pem, e));
    }

    @Test
    void aBadKeyFileIsNamedButItsContentIsNot(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.pem");
        byte[] pkcs8 = KEYS.getPrivate().getEncoded();
        String pem = Keys.pem("RSA PRIVATE KEY", pkcs8); // PKCS#8 labelled PKCS#1
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> AppPrivateKey.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the GitHub App private key "
                                + file
                                + " is not an RSA key in PEM form: not a PKCS#1 RSA private key")
                .hasNoCause()
                .satisfies(e -> assertNoPartOf(pem, e));
    }

    @Test
    void aMissingKeyFileIsNamed(@TempDir Path dir) {
        Path file = dir.resolve("absent.pem");
        assertThatThrownBy(() -> AppPrivateKey.read(file))
                .hasMessage("cannot read the GitHub App private key " + file);
    }

    /** No 16-character piece of the PEM's body appears in the message or the stack trace. */
    private static void assertNoPartOf(String pem, Throwable e) {
        String shown = e.toString() + java.util.Arrays.toString(e.getStackTrace());
        String body = body(pem);
        for (int i = 0; i + 16 <= body.length(); i += 16) {
            assertThat(shown).doesNotContain(body.substring(i, i + 16));
        }
    }
}

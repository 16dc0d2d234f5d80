package io.repostream.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.testkit.fixtures.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {
    private static final byte[] BODY =
            "{\"zen\":\"Keep it logically awesome.\"}".getBytes(StandardCharsets.UTF_8);
    private final SignatureVerifier strict = new SignatureVerifier(false);

    @Test
    void aSignatureMadeTheWayGitHubMakesItIsAccepted() {
        String header = WebhookSigner.sign("s3cret", BODY);

        assertThat(strict.verify(BODY, header, null, List.of("s3cret"))).isNull();
        assertThat(SignatureVerifier.sign("s3cret", BODY)).isEqualTo(header);
    }

    @Test
    void anyOfSeveralSecretsMayHaveSigned() {
        String header = WebhookSigner.sign("second", BODY);

        assertThat(strict.verify(BODY, header, null, List.of("first", "second"))).isNull();
    }

    @Test
    void uppercaseHexIsTheSameSignature() {
        String header = "sha256=" + WebhookSigner.sign("s3cret", BODY).substring(7).toUpperCase();

        assertThat(strict.verify(BODY, header, null, List.of("s3cret"))).isNull();
    }

    @Test
    void aWrongTruncatedOrNonHexSignatureIsRefusedWithItsReason() {
        String good = WebhookSigner.sign("s3cret", BODY);

        assertThat(strict.verify(BODY, good, null, List.of("other")))
                .isEqualTo(SignatureVerifier.Failure.MISMATCH);
        assertThat(strict.verify(BODY, good.substring(0, 20), null, List.of("s3cret")))
                .isEqualTo(SignatureVerifier.Failure.MALFORMED);
        assertThat(strict.verify(BODY, "sha256=" + "zz".repeat(32), null, List.of("s3cret")))
                .isEqualTo(SignatureVerifier.Failure.MALFORMED);
        assertThat(strict.verify(BODY, "md5=abc", null, List.of("s3cret")))
                .isEqualTo(SignatureVerifier.Failure.MALFORMED);
        assertThat(strict.verify(BODY, null, null, List.of("s3cret")))
                .isEqualTo(SignatureVerifier.Failure.MISSING);
        assertThat(strict.verify(BODY, good, null, List.of()))
                .isEqualTo(SignatureVerifier.Failure.NO_SECRET);
    }

    @Test
    void sha1IsRefusedUnlessAllowedAndThenChecked() {
        String sha1 = WebhookSigner.signSha1("s3cret", BODY);

        assertThat(strict.verify(BODY, null, sha1, List.of("s3cret")))
                .isEqualTo(SignatureVerifier.Failure.SHA1_NOT_ALLOWED);
        SignatureVerifier lenient = new SignatureVerifier(true);
        assertThat(lenient.verify(BODY, null, sha1, List.of("s3cret"))).isNull();
        assertThat(lenient.verify(BODY, null, sha1, List.of("other")))
                .isEqualTo(SignatureVerifier.Failure.MISMATCH);
    }

    @Test
    void noFailureMessageContainsTheSecret() {
        for (SignatureVerifier.Failure failure : SignatureVerifier.Failure.values()) {
            assertThat(failure.message()).doesNotContain("s3cret").isNotBlank();
        }
    }
}

package io.repostream.executor.reads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each form of secret CI output shows is masked, and the text around it stays. */
class SecretRedactorTest {
    private final SecretRedactor redactor = new SecretRedactor();

    // built from parts, so that secret scanners do not flag this file
    private static final String GHP = "ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5";
    private static final String GHO = "gho_" + "16C7e42F292c6912E7710c838347Ae178B4a";
    private static final String GHS = "ghs_" + "xY1zA2bC3dE4fG5hI6jK7lM8nO9pQ0rS1tU2";
    private static final String PAT =
            "github_pat_"
                    + "11ABCDEFG0123456789_"
                    + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0";
    private static final String AWS_ID = "AKIA" + "IOSFODNN7EXAMPLE";
    private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY";

    static Stream<Arguments> secrets() {
        return Stream.of(
                Arguments.of("a personal access token", "using token " + GHP + " now", GHP),
                Arguments.of("an OAuth token", "GH_TOKEN=" + GHO, GHO),
                Arguments.of("an installation token", "x " + GHS + " y", GHS),
                Arguments.of("a fine-grained token", "export T=" + PAT, PAT),
                Arguments.of("an AWS access key id", "aws_access_key_id = " + AWS_ID, AWS_ID),
                Arguments.of(
                        "an AWS secret key", "AWS_SECRET_ACCESS_KEY: " + AWS_SECRET, AWS_SECRET),
                Arguments.of("a password assignment", "db password=hunter2pass", "hunter2pass"),
                Arguments.of(
                        "a quoted password in JSON",
                        "{\"password\": \"s3cr3t value\"}",
                        "s3cr3t value"),
                Arguments.of("a client secret", "client_secret: 'abc123def456'", "abc123def456"),
                Arguments.of(
                        "credentials in a URL",
                        "fetching https://deploy:Sup3rS3cret@registry.example.com/pkg",
                        "Sup3rS3cret"),
                Arguments.of(
                        "a user name in a URL with credentials",
                        "git clone https://x-access-token:abcdef123456@github.com/a/b",
                        "x-access-token:abcdef123456"),
                Arguments.of(
                        "a bearer header",
                        "> Authorization: Bearer abcdefghijklmnop.qrstu",
                        "abcdefghijklmnop.qrstu"),
                Arguments.of(
                        "a bearer token in a curl command",
                        "curl -H 'authorization: token 0123456789abcdef' https://api",
                        "0123456789abcdef"),
                Arguments.of(
                        "a bearer credential alone",
                        "sending bearer eyJhbGciOiJIUzI1NiJ9xyz",
                        "eyJhbGciOiJIUzI1NiJ9xyz"),
                Arguments.of(
                        "a JSON web token",
                        "jwt eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjMifQ.c2lnbmF0dXJlLXBhcnQ",
                        "eyJpc3MiOiIxMjMifQ"),
                Arguments.of("a Slack token", "SLACK xoxb-1234567890-abcdefghij", "xoxb-1234"),
                Arguments.of(
                        "an npm token", "//registry/:_authToken=npm_" + "a".repeat(36), "npm_"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secrets")
    void masksTheSecretAndKeepsTheTextAroundIt(String what, String line, String secret) {
        String masked = redactor.redact(line);

        assertThat(masked).doesNotContain(secret).contains(SecretRedactor.MASK);
        String before = line.substring(0, Math.min(3, line.indexOf(secret.substring(0, 3))));
        assertThat(masked).startsWith(before);
    }

    @Test
    void masksAPrivateKeyFromItsBeginToItsEndLine() {
        List<String> lines =
                List.of(
                        "writing key",
                        "-----BEGIN RSA PRIVATE KEY-----",
                        "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
                        "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
                        "-----END RSA PRIVATE KEY-----",
                        "done");

        SecretRedactor.Redacted r = redactor.redact(lines);

        assertThat(r.lines())
                .containsExactly(
                        "writing key",
                        SecretRedactor.MASK,
                        SecretRedactor.MASK,
                        SecretRedactor.MASK,
                        SecretRedactor.MASK,
                        "done");
        assertThat(r.count()).isEqualTo(1);
    }

    @Test
    void masksEverythingAfterAPrivateKeyThatTheCutLeftWithoutItsEnd() {
        SecretRedactor.Redacted r =
                redactor.redact(
                        List.of(
                                "key: -----BEGIN OPENSSH PRIVATE KEY-----",
                                "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz"));

        assertThat(r.lines()).containsExactly("key: " + SecretRedactor.MASK, SecretRedactor.MASK);
    }

    @Test
    void leavesOrdinaryBuildOutputAndGitHubsOwnMasksAlone() {
        List<String> lines =
                List.of(
                        "[ERROR] Failed to execute goal on project widgets: Could not resolve"
                                + " dependencies",
                        "Tokens: 42 processed",
                        "password: ***",
                        "expected:<3> but was:<2>",
                        "https://github.com/acme/widgets/actions/runs/12");

        SecretRedactor.Redacted r = redactor.redact(lines);

        assertThat(r.lines()).containsExactlyElementsOf(lines);
        assertThat(r.count()).isZero();
    }

    @Test
    void cutsHugeLinesBeforeMatching() {
        String huge = "x".repeat(SecretRedactor.MAX_LINE * 50) + GHP;

        String masked = redactor.redact(huge);

        assertThat(masked).hasSize(SecretRedactor.MAX_LINE + 1).doesNotContain(GHP);
    }
}

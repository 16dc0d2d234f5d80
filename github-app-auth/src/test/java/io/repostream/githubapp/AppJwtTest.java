package io.repostream.githubapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AppJwtTest {
    private static final long APP_ID = 4242;
    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");
    private static final KeyPair KEYS = Keys.APP;

    private static AppJwt jwt(Clock clock) {
        return new AppJwt(APP_ID, AppPrivateKey.fromPem(Keys.pkcs1Pem(KEYS)), clock);
    }

    private static JsonNode part(String token, int i) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[i]));
    }

    @Test
    void theTokenVerifiesWithTheAppsPublicKeyAndNamesTheApp() throws Exception {
        String token = jwt(Clock.systemUTC()).token();

        SignedJWT parsed = SignedJWT.parse(token);
        assertThat(parsed.verify(new RSASSAVerifier((RSAPublicKey) KEYS.getPublic()))).isTrue();
        assertThat(parsed.getJWTClaimsSet().getIssuer()).isEqualTo("4242");
        // and as GitHub checks it, without Nimbus: RS256 over header.claims
        String[] parts = token.split("\\.");
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(KEYS.getPublic());
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        assertThat(part(token, 0).path("alg").asText()).isEqualTo("RS256");
        assertThat(part(token, 0).path("typ").asText()).isEqualTo("JWT");
    }

    @Test
    void aTokenSignedWithAnotherKeyDoesNotVerify() throws Exception {
        KeyPair other = Keys.generate(2048);
        String token =
                new AppJwt(APP_ID, (RSAPrivateKey) other.getPrivate(), Clock.systemUTC()).token();
        assertThat(
                        SignedJWT.parse(token)
                                .verify(new RSASSAVerifier((RSAPublicKey) KEYS.getPublic())))
                .isFalse();
    }

    @Test
    void isIssuedAMinuteInThePastAndExpiresWithinTheTenMinutesGitHubAllows() throws Exception {
        JsonNode claims = part(jwt(Clock.fixed(NOW, ZoneOffset.UTC)).token(), 1);

        long now = NOW.getEpochSecond();
        assertThat(claims.path("iss").asText()).isEqualTo("4242");
        assertThat(claims.path("iat").asLong()).isEqualTo(now - 60);
        assertThat(claims.path("exp").asLong()).isEqualTo(now + 9 * 60);
        assertThat(claims.path("exp").asLong() - now).isLessThanOrEqualTo(10 * 60);
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong())
                .isLessThanOrEqualTo(10 * 60);
    }

    @Test
    void isReusedForEightMinutesThenMadeAnewBeforeItExpires() throws Exception {
        Keys.MovableClock clock = new Keys.MovableClock(NOW);
        AppJwt jwt = jwt(clock);
        String first = jwt.token();

        clock.advance(Duration.ofMinutes(8).minusSeconds(1));
        assertThat(jwt.token()).isSameAs(first);

        clock.advance(Duration.ofSeconds(1));
        String second = jwt.token();
        assertThat(second).isNotEqualTo(first);
        assertThat(part(second, 1).path("iat").asLong())
                .isEqualTo(NOW.plus(Duration.ofMinutes(8)).getEpochSecond() - 60);
        assertThat(part(first, 1).path("exp").asLong())
                .as("the old one was replaced a minute before it expired")
                .isEqualTo(clock.instant().getEpochSecond() + 60);
    }

    @Test
    void aKeyTooShortForRs256IsRefusedWhenTheAppIsSetUp() {
        RSAPrivateKey weak = (RSAPrivateKey) Keys.generate(1024).getPrivate();
        assertThatThrownBy(() -> new AppJwt(APP_ID, weak, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the private key of GitHub App 4242 cannot sign: ")
                .hasMessageContaining("2048")
                .hasNoCause();
    }

    @Test
    void showsNeitherTheKeyNorTheToken() {
        AppJwt jwt = jwt(Clock.systemUTC());
        String token = jwt.token();
        assertThat(jwt.toString())
                .isEqualTo("AppJwt[appId=4242, key=****]")
                .doesNotContain(token.substring(0, 20));
    }
}

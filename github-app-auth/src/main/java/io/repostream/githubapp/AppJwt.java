package io.repostream.githubapp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A GitHub App's JSON Web Token, signed RS256 with the app's private key by Nimbus JOSE+JWT. It
 * only serves to authenticate as the app: to ask for installation tokens and about installations.
 *
 * <p>As GitHub's "Generating a JSON Web Token (JWT) for a GitHub App" asks: {@code iss} is the app
 * id, {@code iat} is set 60 seconds in the past against clock drift, and {@code exp} is no more
 * than 10 minutes into the future (nine here, which leaves a minute for a clock running fast). A
 * token is reused for eight minutes, then made anew. Thread-safe.
 */
public final class AppJwt {
    /** How far {@code iat} is put into the past, as GitHub recommends. */
    public static final Duration BACKDATE = Duration.ofSeconds(60);

    /** How far {@code exp} is put into the future; GitHub refuses more than ten minutes. */
    public static final Duration LIFETIME = Duration.ofMinutes(9);

    /** How long one token is reused: a minute before it expires it is made anew. */
    public static final Duration REUSE_FOR = LIFETIME.minusMinutes(1);

    private final long appId;
    private final RSASSASigner signer;
    private final Clock clock;
    private String token;
    private Instant madeAt;

    /**
     * @throws IllegalArgumentException if the key cannot sign RS256 (e.g. shorter than 2048 bits)
     */
    public AppJwt(long appId, RSAPrivateKey key, Clock clock) {
        if (appId <= 0) {
            throw new IllegalArgumentException("a GitHub App id is positive, not " + appId);
        }
        this.appId = appId;
        try {
            this.signer = new RSASSASigner(key);
        } catch (IllegalArgumentException e) {
            // Nimbus says why (e.g. "The RSA key size must be at least 2048 bits"), not the key
            throw new IllegalArgumentException(
                    "the private key of GitHub App " + appId + " cannot sign: " + e.getMessage());
        }
        this.clock = clock;
    }

    public long appId() {
        return appId;
    }

    /** The compact JWT, for an {@code Authorization: Bearer} header. */
    public synchronized String token() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(madeAt.plus(REUSE_FOR)) || now.isBefore(madeAt)) {
            token = sign(now);
            madeAt = now;
        }
        return token;
    }

    private String sign(Instant now) {
        JWTClaimsSet claims =
                new JWTClaimsSet.Builder()
                        .issuer(Long.toString(appId))
                        .issueTime(Date.from(now.minus(BACKDATE)))
                        .expirationTime(Date.from(now.plus(LIFETIME)))
                        .build();
        SignedJWT jwt =
                new SignedJWT(
                        new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
                        claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(
                    "cannot sign the JWT of GitHub App " + appId + ": " + e.getMessage());
        }
        return jwt.serialize();
    }

    @Override
    public String toString() {
        return "AppJwt[appId=" + appId + ", key=****]";
    }
}

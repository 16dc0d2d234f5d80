package io.repostream.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/**
 * The JSON Web Token a GitHub App authenticates with (RS256, {@code iss} = app id, {@code iat} and
 * {@code exp} at most ten minutes apart), checked as GitHub checks it.
 */
final class AppJwt {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** GitHub allows some clock drift on {@code iat}. */
    private static final long MAX_LIFETIME_SECONDS = 10 * 60 + 60;

    private AppJwt() {}

    /**
     * @return the app the token authenticates
     * @throws ApiError 401 as GitHub words it when the token is not one
     */
    static SimulatedApp verify(String token, SimulatedGitHub state, Instant now) {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 3) {
            throw undecodable();
        }
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            header = MAPPER.readTree(b64.decode(parts[0]));
            claims = MAPPER.readTree(b64.decode(parts[1]));
            signature = b64.decode(parts[2]);
        } catch (Exception e) {
            throw undecodable();
        }
        if (!"RS256".equals(header.path("alg").asText())) {
            throw undecodable();
        }
        JsonNode iss = claims.path("iss");
        long appId = iss.isNumber() ? iss.asLong() : parseLong(iss.asText());
        if (appId <= 0) {
            throw ApiError.of(401, "'Issuer' claim ('iss') must be an Integer");
        }
        SimulatedApp app = state.app(appId);
        if (app == null) {
            throw ApiError.of(401, "Integration not found");
        }
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(app.publicKey());
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(signature)) {
                throw undecodable();
            }
        } catch (GeneralSecurityException e) {
            throw undecodable();
        }
        long iat = claims.path("iat").asLong(Long.MIN_VALUE);
        long exp = claims.path("exp").asLong(Long.MIN_VALUE);
        long nowSeconds = now.getEpochSecond();
        if (exp == Long.MIN_VALUE || exp <= nowSeconds) {
            throw ApiError.of(
                    401,
                    "'Expiration time' claim ('exp') must be a numeric value representing the"
                            + " future time at which the assertion expires");
        }
        if (iat == Long.MIN_VALUE || iat > nowSeconds + 60) {
            throw ApiError.of(
                    401,
                    "'Issued at' claim ('iat') must be an Integer representing the time that the"
                            + " assertion was issued");
        }
        if (exp - iat > MAX_LIFETIME_SECONDS) {
            throw ApiError.of(401, "'Expiration time' claim ('exp') is too far in the future");
        }
        return app;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static ApiError undecodable() {
        return ApiError.of(401, "A JSON web token could not be decoded");
    }
}

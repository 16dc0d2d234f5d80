package io.repostream.console.web;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * CSRF protection by a synchronizer token: each session holds a random token, every page carries it
 * (htmx sends it as the {@value #HEADER} header, plain forms as the {@value #FIELD} field), and
 * every state-changing request (POST, PUT, PATCH, DELETE) without the session's token is refused
 * with 403. The session cookie is also {@code SameSite=Lax}.
 */
public final class Csrf {
    public static final String HEADER = "X-CSRF-Token";
    public static final String FIELD = "_csrf";
    private static final String KEY = "csrf";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Csrf() {}

    /** The session's token, made on first use. */
    public static String token(Session session) {
        String token = session.get(KEY);
        if (token == null) {
            token = random();
            session.put(KEY, token);
        }
        return token;
    }

    /** 256 random bits, URL-safe: a CSRF token, an OAuth state. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Compares two secrets in time that does not depend on where they differ. */
    public static boolean same(String expected, String presented) {
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code ctx} is a safe request, or carries its session's token. */
    public static boolean passes(RoutingContext ctx) {
        if (SAFE.contains(ctx.request().method().name())) {
            return true;
        }
        Session session = ctx.session();
        String expected = session == null ? null : session.get(KEY);
        String presented = ctx.request().getHeader(HEADER);
        if (presented == null) {
            presented = ctx.request().getFormAttribute(FIELD);
        }
        if (expected == null || presented == null) {
            return false;
        }
        return same(expected, presented);
    }
}

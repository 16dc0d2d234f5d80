package io.repostream.console.api;

import io.repostream.console.web.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Personal API tokens for scripts (table {@code api_tokens}): 256 random bits, shown once when
 * created, stored as their SHA-256 only; each has an owner, a role, an expiry, and when it was last
 * used. Blocking: call it off the event loop.
 */
public final class ApiTokens {
    /** Every token starts with this, so that a leaked one is easy to recognise and search for. */
    public static final String PREFIX = "rsc_";

    public static final Duration MAX_LIFETIME = Duration.ofDays(366);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource db;
    private final Clock clock;

    public ApiTokens(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A token as the Tokens page lists it (never the token itself). */
    public record Token(
            long id,
            String owner,
            String name,
            Role role,
            String prefix,
            Instant createdAt,
            Instant expiresAt,
            Instant lastUsedAt,
            Instant revokedAt,
            String revokedBy) {

        public boolean active(Instant now) {
            return revokedAt == null && expiresAt.isAfter(now);
        }

        public String state(Instant now) {
            if (revokedAt != null) {
                return "revoked";
            }
            return expiresAt.isAfter(now) ? "active" : "expired";
        }
    }

    /** A token just created: its secret, shown once, and its row. */
    public record Created(String secret, Token token) {}

    /** Who a presented token speaks for. */
    public record Holder(long tokenId, String owner, String name, Role role) {}

    /** Why a presented token was refused (401). */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * Creates a token for {@code owner} with {@code role} (at most the owner's own), living {@code
     * lifetime}.
     */
    public Created create(String owner, Role ownerRole, String name, Role role, Duration lifetime)
            throws SQLException {
        if (name == null || name.isBlank() || name.strip().length() > 100) {
            throw new IllegalArgumentException("give the token a name of 1 to 100 characters");
        }
        if (!ownerRole.allows(role)) {
            throw new IllegalArgumentException(
                    "a token may not do more than its owner: "
                            + owner
                            + " is "
                            + ownerRole.wireName()
                            + ", asked for "
                            + role.wireName());
        }
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("a token lives 1 to 366 days");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO api_tokens (owner, name, role, token_sha256, prefix,"
                                        + " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                                        + " RETURNING id")) {
            s.setString(1, owner);
            s.setString(2, name.strip());
            s.setString(3, role.name());
            s.setString(4, sha256(secret));
            s.setString(5, secret.substring(0, PREFIX.length() + 6));
            s.setTimestamp(6, Timestamp.from(now));
            s.setTimestamp(7, Timestamp.from(now.plus(lifetime)));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new Created(secret, find(rs.getLong(1)).orElseThrow());
            }
        }
    }

    /**
     * Who {@code secret} speaks for, noting that it was used now; refused when unknown, revoked or
     * expired.
     */
    public Holder authenticate(String secret) throws SQLException, Refused {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new Refused("not a console API token (they start with " + PREFIX + ")");
        }
        Instant now = clock.instant();
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "UPDATE api_tokens SET last_used_at = ? WHERE token_sha256 = ?"
                                        + " AND revoked_at IS NULL AND expires_at > ? RETURNING id,"
                                        + " owner, name, role")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setString(2, sha256(secret));
            s.setTimestamp(3, Timestamp.from(now));
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    return new Holder(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            Role.valueOf(rs.getString(4)));
                }
            }
        }
        throw new Refused("unknown, revoked or expired API token");
    }

    /** Revokes token {@code id}; false when there is no such token or it was revoked before. */
    public boolean revoke(long id, String by) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ?"
                                        + " AND revoked_at IS NULL")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setString(2, by);
            s.setLong(3, id);
            return s.executeUpdate() == 1;
        }
    }

    /** Every token, newest first. */
    public List<Token> list() throws SQLException {
        List<Token> tokens = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement(SELECT + " ORDER BY created_at DESC, id DESC");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                tokens.add(token(rs));
            }
        }
        return tokens;
    }

    public Optional<Token> find(long id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(SELECT + " WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(token(rs)) : Optional.empty();
            }
        }
    }

    public Instant now() {
        return clock.instant();
    }

    private static final String SELECT =
            "SELECT id, owner, name, role, prefix, created_at, expires_at, last_used_at,"
                    + " revoked_at, revoked_by FROM api_tokens";

    private static Token token(ResultSet rs) throws SQLException {
        return new Token(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                Role.valueOf(rs.getString(4)),
                rs.getString(5),
                rs.getTimestamp(6).toInstant(),
                rs.getTimestamp(7).toInstant(),
                instant(rs.getTimestamp(8)),
                instant(rs.getTimestamp(9)),
                rs.getString(10));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** A role by its wire name ({@code operator}); refused with the names it takes. */
    public static Role role(String wireName) {
        for (Role r : Role.values()) {
            if (r.wireName().equals(wireName == null ? "" : wireName.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be viewer, operator or admin");
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

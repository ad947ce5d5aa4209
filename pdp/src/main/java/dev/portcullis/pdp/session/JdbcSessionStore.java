package dev.portcullis.pdp.session;

import dev.portcullis.pdp.store.SqlConnections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The part of the SQL session stores both dialects share.
 *
 * <pre>
 * Tables
 *   sessions         one row per session: id, version, the columns a lookup needs (state, agent,
 *                    on_behalf_of, parent_id, token_hash, times in epoch milliseconds) and the
 *                    whole stored session as JSON (data)
 *   session_signals  one row per identity signal: kind, issuer ('' for every issuer), key,
 *                    at_ms, until_ms
 *
 * INVARIANT: a row's version only grows. The upsert's ON CONFLICT ... WHERE keeps the newer
 * version, so a write-behind batch that was snapshotted before a revocation but commits after it
 * cannot bring the session back to life.
 * </pre>
 */
abstract sealed class JdbcSessionStore implements SessionStore permits SqliteSessionStore, PostgresSessionStore {
    static final String SESSIONS = "sessions";
    static final String SIGNALS = "session_signals";

    private static final String UPSERT = "INSERT INTO " + SESSIONS
            + " (id, version, state, agent, on_behalf_of, parent_id, token_hash, created_ms, expires_ms, ended_ms, data)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET version = excluded.version, state = excluded.state,"
            + " token_hash = excluded.token_hash, expires_ms = excluded.expires_ms, ended_ms = excluded.ended_ms,"
            + " data = excluded.data WHERE " + SESSIONS + ".version < excluded.version";

    private final String description;
    /** The one connection writes go through, opened lazily and reopened after a failure. */
    private Connection writer;

    JdbcSessionStore(String description) {
        this.description = description;
    }

    /** A new connection, auto-commit off. */
    abstract Connection connect() throws SQLException;

    /** Creates the tables when missing; subclasses may take a lock first. */
    void createTables(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + SESSIONS + " (id TEXT PRIMARY KEY, version BIGINT NOT NULL,"
                    + " state TEXT NOT NULL, agent TEXT NOT NULL, on_behalf_of TEXT, parent_id TEXT, token_hash TEXT,"
                    + " created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, ended_ms BIGINT, data TEXT NOT NULL)");
            st.execute("CREATE INDEX IF NOT EXISTS " + SESSIONS + "_token ON " + SESSIONS + " (token_hash)");
            st.execute("CREATE INDEX IF NOT EXISTS " + SESSIONS + "_ended ON " + SESSIONS + " (ended_ms)");
            st.execute("CREATE TABLE IF NOT EXISTS " + SIGNALS + " (kind TEXT NOT NULL, issuer TEXT NOT NULL,"
                    + " subject_key TEXT NOT NULL, at_ms BIGINT NOT NULL, until_ms BIGINT,"
                    + " PRIMARY KEY (kind, issuer, subject_key))");
        }
    }

    /** Creates the tables; the subclass's constructor calls it once. */
    final void start() {
        try (Connection c = connect()) {
            createTables(c);
            c.commit();
        } catch (SQLException e) {
            throw unavailable("cannot open", e);
        }
    }

    @Override
    public synchronized void save(Collection<StoredSession> sessions) {
        if (sessions.isEmpty()) {
            return;
        }
        write(c -> {
            try (PreparedStatement st = c.prepareStatement(UPSERT)) {
                for (StoredSession s : sessions) {
                    Session v = s.session();
                    st.setString(1, v.id());
                    st.setLong(2, s.version());
                    st.setString(3, v.state().wireName());
                    st.setString(4, v.agent().toString());
                    st.setString(
                            5, v.onBehalfOf() == null ? null : v.onBehalfOf().toString());
                    st.setString(6, v.parentId());
                    st.setString(7, s.tokenHash());
                    st.setLong(8, v.createdAt().toEpochMilli());
                    st.setLong(9, v.expiresAt().toEpochMilli());
                    setMillis(st, 10, v.endedAt());
                    st.setString(11, SessionJson.stored(s));
                    st.addBatch();
                }
                st.executeBatch();
            }
            return null;
        });
    }

    @Override
    public StoredSession load(String id) {
        List<StoredSession> found = select(" WHERE id = ?", id);
        return found.isEmpty() ? null : found.get(0);
    }

    @Override
    public StoredSession loadByTokenHash(String tokenHash) {
        List<StoredSession> found = select(" WHERE token_hash = ?", tokenHash);
        return found.isEmpty() ? null : found.get(0);
    }

    @Override
    public List<StoredSession> loadAll() {
        return select("", null);
    }

    private List<StoredSession> select(String where, String arg) {
        return read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT data FROM " + SESSIONS + where)) {
                if (arg != null) {
                    st.setString(1, arg);
                }
                List<StoredSession> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(SessionJson.stored(rs.getString(1)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public synchronized int deleteEndedBefore(Instant before) {
        return write(c -> {
            try (PreparedStatement st =
                    c.prepareStatement("DELETE FROM " + SESSIONS + " WHERE ended_ms IS NOT NULL AND ended_ms < ?")) {
                st.setLong(1, before.toEpochMilli());
                return st.executeUpdate();
            }
        });
    }

    @Override
    public synchronized void saveSignal(IdentitySignal s) {
        write(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO " + SIGNALS
                    + " (kind, issuer, subject_key, at_ms, until_ms) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (kind, issuer, subject_key) DO UPDATE SET at_ms = excluded.at_ms,"
                    + " until_ms = excluded.until_ms")) {
                st.setString(1, s.kind().name());
                st.setString(2, s.issuer() == null ? "" : s.issuer());
                st.setString(3, s.key());
                st.setLong(4, s.at().toEpochMilli());
                setMillis(st, 5, s.until());
                st.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public synchronized void deleteSignal(IdentitySignal.Kind kind, String issuer, String key) {
        write(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "DELETE FROM " + SIGNALS + " WHERE kind = ? AND issuer = ? AND subject_key = ?")) {
                st.setString(1, kind.name());
                st.setString(2, issuer == null ? "" : issuer);
                st.setString(3, key);
                st.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<IdentitySignal> loadSignals() {
        return read(c -> {
            try (PreparedStatement st =
                            c.prepareStatement("SELECT kind, issuer, subject_key, at_ms, until_ms FROM " + SIGNALS);
                    ResultSet rs = st.executeQuery()) {
                List<IdentitySignal> out = new ArrayList<>();
                while (rs.next()) {
                    IdentitySignal.Kind kind;
                    try {
                        kind = IdentitySignal.Kind.valueOf(rs.getString(1));
                    } catch (IllegalArgumentException e) {
                        throw new SQLException("unknown signal kind `" + rs.getString(1) + "`");
                    }
                    String issuer = rs.getString(2);
                    long until = rs.getLong(5);
                    Instant untilAt = rs.wasNull() ? null : Instant.ofEpochMilli(until);
                    out.add(new IdentitySignal(
                            kind,
                            issuer.isEmpty() ? null : issuer,
                            rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4)),
                            untilAt));
                }
                return out;
            }
        });
    }

    @Override
    public synchronized int deleteSignalsBefore(Instant now) {
        return write(c -> {
            try (PreparedStatement st =
                    c.prepareStatement("DELETE FROM " + SIGNALS + " WHERE until_ms IS NOT NULL AND until_ms < ?")) {
                st.setLong(1, now.toEpochMilli());
                return st.executeUpdate();
            }
        });
    }

    private static void setMillis(PreparedStatement st, int i, Instant t) throws SQLException {
        if (t == null) {
            st.setNull(i, Types.BIGINT);
        } else {
            st.setLong(i, t.toEpochMilli());
        }
    }

    /** Runs {@code work} in one transaction on the write connection; callers hold this store's lock. */
    <T> T write(SqlConnections.Work<T> work) {
        try {
            if (writer == null) {
                writer = connect();
            }
            T result = work.run(writer);
            writer.commit();
            return result;
        } catch (SQLException e) {
            Connection broken = writer;
            writer = null;
            if (broken != null) {
                try (broken) {
                    broken.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw unavailable("cannot write", e);
        }
    }

    private <T> T read(SqlConnections.Work<T> work) {
        try (Connection c = connect()) {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException e) {
            throw unavailable("cannot read", e);
        }
    }

    private SessionException unavailable(String what, SQLException e) {
        return new SessionException(
                SessionException.Kind.UNAVAILABLE, what + " session store " + description + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException ignored) {
                // every write was committed or reported when it happened
            }
            writer = null;
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + description + "]";
    }
}

package dev.portcullis.pdp.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.pdp.store.SqlConnections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Pattern;

/**
 * The SQL approval stores: one table, the same statements on SQLite and PostgreSQL.
 *
 * <pre>
 * Table TABLE (default "approvals"): one row per approval, times as epoch milliseconds,
 * policies as a JSON array of strings.
 *
 * Atomicity comes from the database, not from a lock here, so several nodes can share a table:
 *  - TABLE_pending, a unique index on binding_hash over the rows whose state is PENDING, lets at
 *    most one approval per binding be pending; insertPending inserts with ON CONFLICT DO NOTHING
 *    and then reads whichever row is pending, so concurrent first requests converge on one.
 *  - transition is one UPDATE ... WHERE id = ? AND state = ? AND expires_at > ?: two nodes using
 *    the same grant race on that row, and the second UPDATE, re-checked after the first commits,
 *    matches nothing.
 * </pre>
 *
 * Connections are kept in a small pool; one that failed is closed rather than reused.
 */
abstract sealed class JdbcApprovalStore implements ApprovalStore permits PostgresApprovalStore, SqliteApprovalStore {
    static final String DEFAULT_TABLE = "approvals";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,40}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final String COLUMNS = "id, state, binding_hash, request, principal, action, resource, policies,"
            + " decision_id, requested_at, expires_at, grant_ttl_ms, decided_at, approver, note, used_at, used_by";

    final String table;
    private final String description;
    private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(4);
    private volatile boolean closed;

    JdbcApprovalStore(String table, String description) {
        if (table == null || !NAME.matcher(table).matches()) {
            throw new ApprovalException(
                    ApprovalException.Kind.INVALID,
                    "bad approval table name `" + table + "` (letters, digits and _, at most 41)");
        }
        this.table = table;
        this.description = description;
    }

    /** A new connection, auto-commit off. */
    abstract Connection connect() throws SQLException;

    /** Creates the table and its indexes when missing; subclasses may lock around it. */
    void createTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + table + " (id TEXT PRIMARY KEY, state TEXT NOT NULL,"
                    + " binding_hash TEXT NOT NULL, request TEXT NOT NULL, principal TEXT, action TEXT,"
                    + " resource TEXT, policies TEXT NOT NULL, decision_id TEXT, requested_at BIGINT NOT NULL,"
                    + " expires_at BIGINT NOT NULL, grant_ttl_ms BIGINT NOT NULL, decided_at BIGINT,"
                    + " approver TEXT, note TEXT, used_at BIGINT, used_by TEXT)");
            st.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + table + "_pending ON " + table
                    + " (binding_hash) WHERE state = 'PENDING'");
            st.execute("CREATE INDEX IF NOT EXISTS " + table + "_binding ON " + table + " (binding_hash)");
            st.execute("CREATE INDEX IF NOT EXISTS " + table + "_requested ON " + table + " (requested_at)");
        }
    }

    /** Called by the subclass's constructor once it can connect. */
    final void start() {
        run("create its table", c -> {
            createTable(c);
            return null;
        });
    }

    @Override
    public Optional<Approval> get(String id) {
        return run("read an approval", c -> {
            List<Approval> found = select(c, "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?", id);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    @Override
    public List<Approval> byBinding(String bindingHash) {
        return run(
                "read approvals",
                c -> select(
                        c,
                        "SELECT " + COLUMNS + " FROM " + table + " WHERE binding_hash = ? ORDER BY requested_at, id",
                        bindingHash));
    }

    @Override
    public List<Approval> list(ApprovalState state, Instant now, int limit) {
        long t = now.toEpochMilli();
        String where;
        List<Object> args = new ArrayList<>();
        if (state == null) {
            where = "1 = 1";
        } else {
            switch (state) {
                case PENDING, GRANTED -> {
                    where = "state = ? AND expires_at > ?";
                    args.add(state.name());
                    args.add(t);
                }
                case EXPIRED -> {
                    where = "(state = 'EXPIRED' OR (state IN ('PENDING', 'GRANTED') AND expires_at <= ?))";
                    args.add(t);
                }
                default -> {
                    where = "state = ?";
                    args.add(state.name());
                }
            }
        }
        args.add(limit);
        String sql = "SELECT " + COLUMNS + " FROM " + table + " WHERE " + where
                + " ORDER BY requested_at DESC, id DESC LIMIT ?";
        return run("list approvals", c -> select(c, sql, args.toArray()));
    }

    @Override
    public Approval insertPending(Approval candidate, Instant now) {
        return run("store an approval", c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE " + table
                    + " SET state = 'EXPIRED' WHERE binding_hash = ? AND state = 'PENDING' AND expires_at <= ?")) {
                up.setString(1, candidate.bindingHash());
                up.setLong(2, now.toEpochMilli());
                up.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + table + " (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                bind(ins, candidate);
                ins.executeUpdate();
            }
            List<Approval> pending = select(
                    c,
                    "SELECT " + COLUMNS + " FROM " + table + " WHERE binding_hash = ? AND state = 'PENDING'",
                    candidate.bindingHash());
            if (pending.isEmpty()) {
                throw new SQLException("no pending approval after inserting `" + candidate.id() + "`");
            }
            return pending.get(0);
        });
    }

    @Override
    public boolean transition(Approval updated, ApprovalState expected, Instant now) {
        return run("update an approval", c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE " + table
                    + " SET state = ?, expires_at = ?, decided_at = ?, approver = ?, note = ?, used_at = ?,"
                    + " used_by = ? WHERE id = ? AND state = ? AND expires_at > ?")) {
                up.setString(1, updated.state().name());
                up.setLong(2, updated.expiresAt().toEpochMilli());
                setMillis(up, 3, updated.decidedAt());
                up.setString(4, updated.approver());
                up.setString(5, updated.note());
                setMillis(up, 6, updated.usedAt());
                up.setString(7, updated.usedBy());
                up.setString(8, updated.id());
                up.setString(9, expected.name());
                up.setLong(10, now.toEpochMilli());
                return up.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int purge(Instant cutoff) {
        return run("purge approvals", c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE expires_at < ?")) {
                del.setLong(1, cutoff.toEpochMilli());
                return del.executeUpdate();
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.poll()) != null) {
            quietly(c);
        }
    }

    private static void bind(PreparedStatement ps, Approval a) throws SQLException {
        ps.setString(1, a.id());
        ps.setString(2, a.state().name());
        ps.setString(3, a.bindingHash());
        ps.setString(4, a.request());
        ps.setString(5, a.principal());
        ps.setString(6, a.action());
        ps.setString(7, a.resource());
        try {
            ps.setString(8, JSON.writeValueAsString(a.policies()));
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot encode the policies of `" + a.id() + "`", e);
        }
        ps.setString(9, a.decisionId());
        ps.setLong(10, a.requestedAt().toEpochMilli());
        ps.setLong(11, a.expiresAt().toEpochMilli());
        ps.setLong(12, a.grantTtl().toMillis());
        setMillis(ps, 13, a.decidedAt());
        ps.setString(14, a.approver());
        ps.setString(15, a.note());
        setMillis(ps, 16, a.usedAt());
        ps.setString(17, a.usedBy());
    }

    private static void setMillis(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, t.toEpochMilli());
        }
    }

    private static List<Approval> select(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Approval> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row(rs));
                }
                return out;
            }
        }
    }

    private static Approval row(ResultSet rs) throws SQLException {
        List<String> policies;
        try {
            policies = JSON.readValue(rs.getString(8), STRINGS);
        } catch (JsonProcessingException e) {
            throw new SQLException("approval `" + rs.getString(1) + "` has unreadable policies", e);
        }
        ApprovalState state = ApprovalState.parse(rs.getString(2));
        if (state == null) {
            throw new SQLException("approval `" + rs.getString(1) + "` has unknown state `" + rs.getString(2) + "`");
        }
        return new Approval(
                rs.getString(1),
                state,
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                policies,
                rs.getString(9),
                Instant.ofEpochMilli(rs.getLong(10)),
                Instant.ofEpochMilli(rs.getLong(11)),
                Duration.ofMillis(rs.getLong(12)),
                millis(rs, 13),
                rs.getString(14),
                rs.getString(15),
                millis(rs, 16),
                rs.getString(17));
    }

    private static Instant millis(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    final <T> T run(String what, SqlConnections.Work<T> work) {
        if (closed) {
            throw new ApprovalException(
                    ApprovalException.Kind.UNAVAILABLE, "approval store " + description + " is closed");
        }
        Connection c = null;
        try {
            c = idle.poll();
            if (c == null) {
                c = connect();
            }
            T result = work.run(c);
            c.commit();
            if (closed || !idle.offer(c)) {
                quietly(c);
            }
            return result;
        } catch (SQLException e) {
            if (c != null) {
                rollbackAndClose(c);
            }
            throw new ApprovalException(
                    ApprovalException.Kind.UNAVAILABLE,
                    "approval store " + description + ": cannot " + what + ": " + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            if (c != null) {
                rollbackAndClose(c);
            }
            throw e;
        }
    }

    private static void rollbackAndClose(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // it is being closed for failing anyway
        }
        quietly(c);
    }

    private static void quietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing left to do with it
        }
    }
}

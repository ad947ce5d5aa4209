package dev.portcullis.pdp.log;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * The decision log in PostgreSQL, shared by several PDP nodes: {@code jdbcUrl} such as
 * {@code jdbc:postgresql://db:5432/portcullis?user=pdp} (a {@code currentSchema} parameter places
 * the tables in a schema). The tables are created when missing.
 *
 * <pre>
 * Several writers, one chain
 *
 * Every node has its own writer thread, so batches from different nodes race to extend the
 * chain. Each batch transaction starts with
 *
 *     SELECT seq, hash FROM decision_log_head WHERE id = 1 FOR UPDATE
 *
 * and ends by updating that row. The row lock serialises the batches of all nodes: a second
 * writer waits on the lock, and (under READ COMMITTED) then reads the row as the first writer
 * committed it, so it chains onto the first writer's last entry. seq is the primary key, so
 * even a bug here could not fork the chain silently: the insert would fail and be retried.
 *
 * Why a head row rather than pg_advisory_xact_lock + SELECT max(seq):
 *  - the lock and the state it protects are the same row: no lock key to agree on across
 *    deployments and schemas (advisory keys are database-wide, so two logs in two schemas would
 *    share a key, or need a hashing convention);
 *  - the head is read by key, not by max() over the table;
 *  - the head remembers the last seq and hash, so verify() notices when the newest entries
 *    are deleted, which no walk of the remaining entries can show;
 *  - row locks work through transaction-pooling proxies and on any PostgreSQL-compatible store.
 * The cost is the same for both: batches of all nodes commit one after another, which is why
 * they are batches (one lock per up to maxBatch entries, not per entry).
 *
 * Creating the tables takes a transaction-level advisory lock, because concurrent
 * CREATE TABLE IF NOT EXISTS from nodes starting together can fail on the catalog's unique index.
 * </pre>
 */
public final class PostgresDecisionLog extends JdbcDecisionLog {
    private final String jdbcUrl;

    public PostgresDecisionLog(String jdbcUrl, DecisionLogs.Options options) {
        super(options, "`" + redact(jdbcUrl) + "`");
        this.jdbcUrl = jdbcUrl;
        start("decision-log-writer-postgres");
    }

    @Override
    Connection connect(boolean writer) throws SQLException {
        Properties props = new Properties();
        // one multi-row INSERT per batch instead of one round trip per entry
        props.setProperty("reWriteBatchedInserts", "true");
        props.setProperty("ApplicationName", writer ? "portcullis decision log writer" : "portcullis decision log");
        Connection c = DriverManager.getConnection(jdbcUrl, props);
        c.setAutoCommit(false);
        return c;
    }

    /** One {@code SELECT 1} every two seconds at most, each allowed two seconds to connect and two to answer. */
    @Override
    StoreProbe newProbe() {
        return new StoreProbe(
                () -> {
                    Properties props = new Properties();
                    props.setProperty("ApplicationName", "portcullis decision log health");
                    props.setProperty("connectTimeout", "2");
                    props.setProperty("loginTimeout", "2");
                    props.setProperty("socketTimeout", "4");
                    return DriverManager.getConnection(jdbcUrl, props);
                },
                Duration.ofSeconds(2),
                2);
    }

    @Override
    void createTables(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(hashtext('portcullis.decision_log.create'))");
        }
        super.createTables(c);
    }

    /** PostgreSQL text cannot hold U+0000; such a decision fails closed instead of stalling the writer. */
    @Override
    void check(DecisionRecord r) {
        boolean nul = hasNul(r.decisionId())
                || hasNul(r.kind())
                || hasNul(r.caller())
                || hasNul(r.principal())
                || hasNul(r.action())
                || hasNul(r.resource())
                || hasNul(r.requestJson())
                || hasNul(r.policyVersion())
                || hasNul(r.sessionId())
                || r.reasons().stream().anyMatch(PostgresDecisionLog::hasNul)
                || r.errors().stream().anyMatch(PostgresDecisionLog::hasNul)
                || r.sessionParents().stream().anyMatch(PostgresDecisionLog::hasNul);
        if (nul) {
            throw new DecisionLogException(
                    "decision `" + r.decisionId() + "` contains the character U+0000, which PostgreSQL cannot store");
        }
    }

    private static boolean hasNul(String s) {
        return s != null && s.indexOf('\0') >= 0;
    }

    @Override
    String seqType() {
        return "BIGINT";
    }

    /** Yes: the log is shared and may grow large, and the index work is the database server's. */
    @Override
    boolean indexesEveryFilter() {
        return true;
    }

    @Override
    String lockHeadSql() {
        return "SELECT seq, hash FROM " + HEAD + " WHERE id = 1 FOR UPDATE";
    }

    @Override
    boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?")) {
            st.setString(1, table);
            st.setString(2, column);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    String reasonsContainSql() {
        return "reasons::jsonb @> jsonb_build_array(?::text)";
    }

    @Override
    void beginSnapshot(Connection c) throws SQLException {
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    }

    /** The URL without a password, for messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}

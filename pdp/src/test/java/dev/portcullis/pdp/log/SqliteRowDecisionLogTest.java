package dev.portcullis.pdp.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decision-log contract on an embedded log in the row layout, a row per entry: every log
 * created before 2026-11-30 has it, and keeps it.
 */
class SqliteRowDecisionLogTest extends SqliteLogContract {
    @Override
    JdbcDecisionLog openStore(DecisionLogs.Options options) {
        return new SqliteDecisionLog(file(), options, true);
    }

    @Test
    void theLogIndexesTimeAndSessionOnly_andALogWithTheOlderIndexesLosesThemWhenOpenedForWriting() throws Exception {
        JdbcDecisionLog first = openStore(DecisionLogs.Options.defaults());
        assertThat(((SqliteDecisionLog) first).batchLayout()).isFalse();
        first.close();
        assertThat(indexes()).containsExactlyInAnyOrder("decision_log_session", "decision_log_time");

        // a log as created before 2026-11-29
        try (Connection c = raw();
                Statement st = c.createStatement()) {
            st.execute("CREATE INDEX decision_log_principal ON decision_log (principal, seq)");
            st.execute("CREATE INDEX decision_log_action ON decision_log (action, seq)");
        }
        openStore(DecisionLogs.Options.defaults().withCreate(false)).close();
        assertThat(indexes()).hasSize(4); // a reader changes nothing
        openStore(DecisionLogs.Options.defaults()).close();
        assertThat(indexes()).containsExactlyInAnyOrder("decision_log_session", "decision_log_time");
    }

    private List<String> indexes() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = raw();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'decision_log'"
                                + " AND name NOT LIKE 'sqlite_autoindex%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}

package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionLogs;
import dev.portcullis.pdp.log.LogQuery;
import dev.portcullis.pdp.log.VerifyResult;
import dev.portcullis.server.http.TempServer.Res;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health/ready} over HTTP, and a stop that drains the decision log. */
class HealthAndShutdownTest {
    static final String PERMIT = "@id(\"readers\")\npermit (principal, action == Action::\"read\", resource);\n";

    @TempDir
    Path dir;

    private void sql(TempServer s, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:" + s.logUrl);
                Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private long rows(TempServer s) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:" + s.logUrl);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM decision_log_entries")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void ready_namesEveryCheck_andTurnsNotReadyWhileTheLogCannotWrite() throws Exception {
        try (TempServer s = TempServer.start(dir, PERMIT, false)) {
            Res ready = s.call("GET", "/health/ready", null, null);
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.body().get("status").asText()).isEqualTo("ready");
            assertThat(ready.body().get("policy_version").asText()).isEqualTo(TempServer.versionOf(PERMIT));
            assertThat(ready.body().at("/checks/policies/status").asText()).isEqualTo("up");
            assertThat(ready.body().at("/checks/entities/status").asText()).isEqualTo("up");
            assertThat(ready.body().at("/checks/decision_log/status").asText()).isEqualTo("up");
            assertThat(ready.body().has("failing")).isFalse();

            // the store loses its table: buffered decisions still queue, but the writer fails
            sql(s, "ALTER TABLE decision_log_batch RENAME TO decision_log_away");
            assertThat(s.evaluate(TempServer.READ).status()).isEqualTo(200);
            HotReloadUnderLoadTest.await(() -> status(s) == 503, "/health/ready to report 503");
            Res down = s.call("GET", "/health/ready", null, null);
            assertThat(down.body().get("status").asText()).isEqualTo("not ready");
            assertThat(down.body().get("failing").toString()).isEqualTo("[\"decision_log\"]");
            assertThat(down.body().at("/checks/decision_log/status").asText()).isEqualTo("down");
            assertThat(down.body().at("/checks/decision_log/reason").asText())
                    .contains("the last decision log write failed")
                    .contains("decision_log");
            assertThat(down.body().at("/checks/policies/status").asText()).isEqualTo("up");

            // back: the writer's retry succeeds and the server is ready again, nothing lost
            sql(s, "ALTER TABLE decision_log_away RENAME TO decision_log_batch");
            HotReloadUnderLoadTest.await(() -> status(s) == 200, "/health/ready to recover");
            assertThat(rows(s)).isEqualTo(1);
        }
    }

    private static int status(TempServer s) {
        try {
            return s.call("GET", "/health/ready", null, null).status();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void close_drainsTheBufferedDecisionLog() throws Exception {
        // the writer lingers for a minute to fill its batch: nothing reaches the store before close
        DecisionLogs.Options lingering = DecisionLogs.Options.defaults().withMaxBatch(100_000, Duration.ofSeconds(60));
        List<String> ids = new ArrayList<>();
        TempServer s = TempServer.start(dir, PERMIT, false, lingering);
        try {
            for (int i = 0; i < 50; i++) {
                Res r = s.evaluate(TempServer.READ);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body().get("decision").asBoolean()).isTrue();
                ids.add(r.body().at("/context/decision_id").asText());
            }
            assertThat(rows(s)).isZero();
        } finally {
            s.close();
        }
        try (DecisionLog log =
                DecisionLogs.open(s.logUrl, DecisionLogs.Options.defaults().withCreate(false))) {
            assertThat(log.query(LogQuery.all()))
                    .extracting(e -> e.record().decisionId())
                    .containsExactlyElementsOf(ids);
            assertThat(log.verify()).isEqualTo(VerifyResult.ok(50));
        }
    }
}

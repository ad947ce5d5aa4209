package dev.portcullis.pdp.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.pdp.log.DecisionLog.Health;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreProbeTest {
    @TempDir
    Path dir;

    /** Hands out SQLite connections, or fails while {@code down} is set; remembers what it opened. */
    final class Store implements StoreProbe.Connector {
        final List<Connection> opened = new ArrayList<>();
        volatile boolean down;

        @Override
        public Connection connect() throws SQLException {
            if (down) {
                throw new SQLException("connection refused");
            }
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("probe.db"));
            opened.add(c);
            return c;
        }
    }

    @Test
    void answersFromTheCacheWithinTheInterval() throws SQLException {
        Store store = new Store();
        StoreProbe probe = new StoreProbe(store, Duration.ofHours(1), 2);
        assertThat(probe.check()).isEqualTo(Health.UP);
        store.down = true;
        store.opened.get(0).close();
        // within the interval nothing is asked: the store is not loaded by probes
        assertThat(probe.check()).isEqualTo(Health.UP);
        assertThat(store.opened).hasSize(1);
    }

    @Test
    void reconnectsOnceWhenTheKeptConnectionFails_downWhenTheStoreDoesNotAnswer() throws SQLException {
        Store store = new Store();
        StoreProbe probe = new StoreProbe(store, Duration.ZERO, 2);
        assertThat(probe.check()).isEqualTo(Health.UP);
        assertThat(probe.check()).isEqualTo(Health.UP);
        assertThat(store.opened).hasSize(1); // the connection is kept

        store.opened.get(0).close(); // dropped by a restart or an idle timeout
        assertThat(probe.check()).isEqualTo(Health.UP);
        assertThat(store.opened).hasSize(2);

        store.down = true;
        store.opened.get(1).close();
        assertThat(probe.check()).isEqualTo(Health.down("the decision log store does not answer: connection refused"));
        store.down = false;
        assertThat(probe.check()).isEqualTo(Health.UP);

        probe.close();
        assertThat(probe.check()).isEqualTo(Health.down("decision log is closed"));
        assertThat(store.opened.get(2).isClosed()).isTrue();
    }
}

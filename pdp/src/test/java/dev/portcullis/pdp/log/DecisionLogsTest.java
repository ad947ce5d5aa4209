package dev.portcullis.pdp.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log URLs and options: what opens, and the errors for what does not. */
class DecisionLogsTest {
    @Test
    void postgresUri_becomesAJdbcUrlWithUserAndPasswordAsParameters() {
        assertThat(DecisionLogs.postgresJdbcUrl("postgresql://db.example:6543/portcullis"))
                .isEqualTo("jdbc:postgresql://db.example:6543/portcullis");
        assertThat(DecisionLogs.postgresJdbcUrl("postgresql://pdp:s%40cret@db/portcullis?sslmode=require"))
                .isEqualTo("jdbc:postgresql://db/portcullis?sslmode=require&user=pdp&password=s%40cret");
        assertThat(DecisionLogs.postgresJdbcUrl("postgres://u@[::1]:5432/test"))
                .isEqualTo("jdbc:postgresql://[::1]:5432/test?user=u");
    }

    @Test
    void badUrls_areOneLineErrorsThatQuoteTheUrl() {
        for (String bad : new String[] {
            "",
            "mysql://h/db",
            "sqlite:",
            "sqlite::memory:",
            "postgresql://host",
            "postgresql:///db",
            "postgresql://h/ db"
        }) {
            assertThatThrownBy(() -> DecisionLogs.open(bad, DecisionLogs.Options.defaults()))
                    .as(bad)
                    .isInstanceOf(DecisionLogException.class)
                    .satisfies(
                            e -> assertThat(e.getMessage()).doesNotContain("\n").contains("`"));
        }
    }

    @Test
    void sqliteUrl_createsTheFileAndItsDirectory(@TempDir Path dir) {
        Path file = dir.resolve("data/decisions.db");
        try (DecisionLog log = DecisionLogs.open("sqlite:" + file, DecisionLogs.Options.defaults())) {
            assertThat(log).isInstanceOf(SqliteDecisionLog.class);
        }
        assertThat(file).exists();
        try (DecisionLog log = DecisionLogs.open("jdbc:sqlite:" + file, DecisionLogs.Options.defaults())) {
            assertThat(log.verify()).isEqualTo(VerifyResult.ok(0));
        }
    }

    @Test
    void withoutCreate_aMissingLogIsAnError(@TempDir Path dir) {
        Path file = dir.resolve("absent.db");
        assertThatThrownBy(() -> DecisionLogs.open(
                        "sqlite:" + file, DecisionLogs.Options.defaults().withCreate(false)))
                .isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("absent.db");
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void options_nameTheBadKey() {
        assertThatThrownBy(() -> DecisionLogs.Options.defaults().withQueueCapacity(0))
                .hasMessageContaining("`queueCapacity`");
        assertThatThrownBy(() -> DecisionLogs.Options.defaults().withMaxBatch(10, Duration.ofMillis(-1)))
                .hasMessageContaining("`maxBatchDelay`");
    }
}

package dev.portcullis.pdp.session;

import dev.portcullis.pdp.log.DecisionLogException;
import dev.portcullis.pdp.log.DecisionLogs;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Opens a session store from a URL, in the decision log's forms: {@code memory} (nothing
 * survives a restart), {@code sqlite:PATH} (the embedded default; usually the decision log's
 * file), {@code postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?PARAMS]} or {@code
 * jdbc:postgresql://HOST[:PORT]/DB[?PARAMS]}.
 */
public final class SessionStores {
    private SessionStores() {}

    public static SessionStore open(String url) {
        if (url == null || url.isBlank()) {
            throw Names.invalid(
                    "sessions.store", "missing url (expected `memory`, `sqlite:PATH` or `postgresql://HOST/DB`)");
        }
        String u = url.strip();
        if (u.equals("memory")) {
            return new InMemorySessionStore();
        }
        if (u.startsWith("jdbc:sqlite:")) {
            u = u.substring("jdbc:".length());
        }
        if (u.startsWith("sqlite:")) {
            String path = u.substring("sqlite:".length());
            if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file::memory:")) {
                throw Names.invalid("sessions.store", "`" + url + "` names no file (expected `sqlite:PATH`)");
            }
            try {
                return new SqliteSessionStore(Path.of(path));
            } catch (InvalidPathException e) {
                throw Names.invalid("sessions.store", "`" + url + "`: bad path: " + e.getReason());
            }
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return new PostgresSessionStore(u);
        }
        if (u.startsWith("postgresql://") || u.startsWith("postgres://")) {
            try {
                return new PostgresSessionStore(DecisionLogs.postgresJdbcUrl(u));
            } catch (DecisionLogException e) {
                throw Names.invalid("sessions.store", e.getMessage().replace("decision log url", "url"));
            }
        }
        throw Names.invalid(
                "sessions.store",
                "unsupported url `" + url + "` (expected `memory`, `sqlite:PATH`, `postgresql://HOST/DB` or"
                        + " `jdbc:postgresql://HOST/DB`)");
    }
}

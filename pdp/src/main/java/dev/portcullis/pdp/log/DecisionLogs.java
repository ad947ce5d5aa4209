package dev.portcullis.pdp.log;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Opens a decision log from a URL: {@code sqlite:PATH} (the embedded default, e.g.
 * {@code sqlite:./data/decisions.db}) or PostgreSQL as {@code postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?PARAMS]}
 * or {@code jdbc:postgresql://HOST[:PORT]/DB[?PARAMS]}.
 */
public final class DecisionLogs {
    private DecisionLogs() {}

    /**
     * How a log queues and writes.
     *
     * @param durable {@code append} returns only once its entry is committed (group commit)
     * @param queueCapacity entries that may wait for the writer
     * @param maxBatch entries written in one transaction at most
     * @param maxBatchDelay how long the writer waits for a batch to fill (buffered mode only)
     * @param appendTimeout how long {@code append} waits for room in a full queue before failing
     * @param commitTimeout how long a durable {@code append}, a query's flush or {@code close} waits
     *     for the writer
     * @param create create the tables when missing (off for tools that only read)
     */
    public record Options(
            boolean durable,
            int queueCapacity,
            int maxBatch,
            Duration maxBatchDelay,
            Duration appendTimeout,
            Duration commitTimeout,
            boolean create) {
        public Options {
            require(queueCapacity >= 1, "queueCapacity", queueCapacity);
            require(maxBatch >= 1, "maxBatch", maxBatch);
            require(!maxBatchDelay.isNegative(), "maxBatchDelay", maxBatchDelay);
            require(!appendTimeout.isNegative(), "appendTimeout", appendTimeout);
            require(!commitTimeout.isNegative(), "commitTimeout", commitTimeout);
        }

        /** Buffered; 10,000 queued entries; batches of up to 500 or 5 ms; a full queue fails after 100 ms. */
        public static Options defaults() {
            return new Options(
                    false, 10_000, 500, Duration.ofMillis(5), Duration.ofMillis(100), Duration.ofSeconds(10), true);
        }

        public Options withDurable(boolean durable) {
            return new Options(durable, queueCapacity, maxBatch, maxBatchDelay, appendTimeout, commitTimeout, create);
        }

        public Options withQueueCapacity(int queueCapacity) {
            return new Options(durable, queueCapacity, maxBatch, maxBatchDelay, appendTimeout, commitTimeout, create);
        }

        public Options withMaxBatch(int maxBatch, Duration maxBatchDelay) {
            return new Options(durable, queueCapacity, maxBatch, maxBatchDelay, appendTimeout, commitTimeout, create);
        }

        public Options withTimeouts(Duration appendTimeout, Duration commitTimeout) {
            return new Options(durable, queueCapacity, maxBatch, maxBatchDelay, appendTimeout, commitTimeout, create);
        }

        public Options withCreate(boolean create) {
            return new Options(durable, queueCapacity, maxBatch, maxBatchDelay, appendTimeout, commitTimeout, create);
        }

        private static void require(boolean ok, String key, Object value) {
            if (!ok) {
                throw new IllegalArgumentException("decision log option `" + key + "` cannot be `" + value + "`");
            }
        }
    }

    /** Opens (and, if {@code options.create()}, creates) the log {@code url} names. */
    public static DecisionLog open(String url, Options options) {
        if (url == null || url.isBlank()) {
            throw new DecisionLogException(
                    "missing decision log url (expected `sqlite:PATH` or `postgresql://HOST/DB`)");
        }
        String u = url.strip();
        if (u.startsWith("jdbc:sqlite:")) {
            u = u.substring("jdbc:".length());
        }
        if (u.startsWith("sqlite:")) {
            return new SqliteDecisionLog(sqlitePath(u.substring("sqlite:".length()), url), options);
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return new PostgresDecisionLog(u, options);
        }
        if (u.startsWith("postgresql://") || u.startsWith("postgres://")) {
            return new PostgresDecisionLog(postgresJdbcUrl(u), options);
        }
        throw new DecisionLogException("unsupported decision log url `" + url
                + "` (expected `sqlite:PATH`, `postgresql://HOST/DB` or `jdbc:postgresql://HOST/DB`)");
    }

    private static Path sqlitePath(String path, String url) {
        if (path.isEmpty()) {
            throw new DecisionLogException("decision log url `" + url + "` names no file (expected `sqlite:PATH`)");
        }
        if (path.startsWith(":memory:") || path.startsWith("file::memory:")) {
            throw new DecisionLogException(
                    "decision log url `" + url + "`: an in-memory database cannot hold a decision log; name a file");
        }
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new DecisionLogException("decision log url `" + url + "`: bad path: " + e.getReason());
        }
    }

    /**
     * Turns a libpq-style URI into the JDBC URL: user and password move from the authority into
     * parameters, since the JDBC driver does not read them there.
     */
    public static String postgresJdbcUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new DecisionLogException("bad decision log url `" + url + "`: " + e.getReason());
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new DecisionLogException("decision log url `" + url + "` names no host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.isEmpty() || path.equals("/")) {
            throw new DecisionLogException("decision log url `" + url + "` names no database (`postgresql://HOST/DB`)");
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://");
        jdbc.append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host);
        if (uri.getPort() != -1) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(path);
        String query = uri.getRawQuery();
        StringBuilder params = new StringBuilder(query == null ? "" : query);
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            param(params, "user", URLDecoder.decode(user, StandardCharsets.UTF_8));
            if (colon >= 0) {
                param(params, "password", URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8));
            }
        }
        if (!params.isEmpty()) {
            jdbc.append('?').append(params);
        }
        return jdbc.toString();
    }

    private static void param(StringBuilder params, String key, String value) {
        if (!params.isEmpty()) {
            params.append('&');
        }
        params.append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}

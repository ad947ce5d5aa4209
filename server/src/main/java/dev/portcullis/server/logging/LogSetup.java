package dev.portcullis.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.server.config.ServerConfig.LogFormat;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Applies the {@code logging:} configuration to logback once the configuration is loaded. Until
 * then the {@code logback.xml} in the jar is in force, which says the same as {@link
 * ServerConfig.Logging#DEFAULT}: text lines on stderr at {@code info}.
 *
 * <p>Everything the process logs ends up here: SLF4J directly (the server, Armeria, Netty),
 * {@code System.Logger} (the {@code pdp} module) through slf4j-jdk-platform-logging, and
 * {@code java.util.logging} (the PostgreSQL driver) through the JUL bridge, with logback's levels
 * copied to JUL so that disabled JUL levels cost nothing.
 */
public final class LogSetup {
    /** Text lines: time, level, thread, logger, message (and a stack trace below when there is one). */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

    /**
     * Loggers kept at {@code warn} unless {@code logging.levels} names them: at {@code info} Armeria
     * and Netty report their start-up internals, which say nothing an operator acts on.
     */
    static final Map<String, String> QUIET = Map.of("com.linecorp.armeria", "warn", "io.netty", "warn");

    private LogSetup() {}

    /** Applies {@code logging}, writing to stderr. */
    public static void apply(ServerConfig.Logging logging) {
        apply(logging, null);
    }

    /**
     * Applies {@code logging}, writing to {@code out} (tests) or to stderr when {@code out} is null.
     * Returns false, changing nothing, when SLF4J is not bound to logback (an embedding application
     * brought its own logging).
     */
    public static boolean apply(ServerConfig.Logging logging, OutputStream out) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext ctx)) {
            return false;
        }
        synchronized (LogSetup.class) {
            ctx.reset();
            LevelChangePropagator jul = new LevelChangePropagator();
            jul.setContext(ctx);
            jul.setResetJUL(true);
            jul.start();
            ctx.addListener(jul);
            if (!SLF4JBridgeHandler.isInstalled()) {
                SLF4JBridgeHandler.removeHandlersForRootLogger();
                SLF4JBridgeHandler.install();
            }

            Encoder<ILoggingEvent> encoder = encoder(ctx, logging.format());
            OutputStreamAppender<ILoggingEvent> appender;
            if (out == null) {
                ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
                console.setTarget("System.err");
                appender = console;
            } else {
                appender = new OutputStreamAppender<>();
                appender.setOutputStream(out);
            }
            appender.setContext(ctx);
            appender.setName(logging.format() == LogFormat.JSON ? "json" : "text");
            appender.setEncoder(encoder);
            // write each event at once: a crash or kill must not swallow the last lines
            appender.setImmediateFlush(true);
            appender.start();

            Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.addAppender(appender);
            root.setLevel(Level.toLevel(logging.level(), Level.INFO));
            Map<String, String> levels = new LinkedHashMap<>(QUIET);
            levels.putAll(logging.levels());
            levels.forEach((name, level) -> ctx.getLogger(name).setLevel(Level.toLevel(level, Level.INFO)));
        }
        return true;
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext ctx, LogFormat format) {
        Encoder<ILoggingEvent> encoder;
        if (format == LogFormat.JSON) {
            encoder = new JsonLineEncoder();
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(TEXT_PATTERN);
            encoder = text;
        }
        encoder.setContext(ctx);
        encoder.start();
        return encoder;
    }
}

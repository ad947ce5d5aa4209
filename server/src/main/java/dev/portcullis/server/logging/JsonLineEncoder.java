package dev.portcullis.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Writes each log event as one JSON object on one line, for log collectors:
 *
 * <pre>
 * {"timestamp":"2025-01-31T09:15:02.123456Z","level":"WARN","logger":"dev.portcullis.pdp.policy.PolicyStore",
 *  "thread":"portcullis-watch-policies","message":"policy bundle 3f2a... refused: p.cedar:1:9: ...",
 *  "mdc":{"request_id":"abc"},"exception":"java.io.IOException: ...\n\tat ..."}
 * </pre>
 *
 * {@code mdc} is there when the event has MDC entries, {@code exception} when it carries a
 * throwable (its stack trace as one string, causes included). The timestamp is UTC, ISO-8601, to
 * the microsecond; the message is formatted (arguments filled in).
 *
 * <p>Why not logback's own {@code JsonEncoder}: it writes the message template and its arguments
 * apart (not the message a reader wants), the time as epoch milliseconds, the exception as a nested
 * object of stack frames (which collectors show as a tree of fields rather than a trace) and a
 * {@code context} object and sequence number on every line.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NOTHING = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }

    // called concurrently by the appender (it only locks around the write): no shared state
    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField(
                    "timestamp",
                    DateTimeFormatter.ISO_INSTANT.format(event.getInstant().truncatedTo(ChronoUnit.MICROS)));
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null && !mdc.isEmpty()) {
                g.writeObjectFieldStart("mdc");
                for (Map.Entry<String, String> e : mdc.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                g.writeStringField(
                        "exception", ThrowableProxyUtil.asString(thrown).stripTrailing());
            }
            g.writeEndObject();
        } catch (IOException e) {
            // a ByteArrayOutputStream does not fail; Jackson declares it anyway
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }
}

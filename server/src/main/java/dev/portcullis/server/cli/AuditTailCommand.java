package dev.portcullis.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionLogException;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.log.LogEntry;
import dev.portcullis.pdp.log.LogQuery;
import dev.portcullis.server.input.InputException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis audit tail}: the newest entries of the decision log as JSON lines, optionally
 * following new ones as they are written.
 */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = {
            "Print the newest decision log entries as JSON lines (oldest first).",
            "With --follow, keep printing entries as they are written (stop with Ctrl-C)."
        })
final class AuditTailCommand implements Callable<Integer> {
    enum DecisionFilter {
        allow,
        deny
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 500;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--log",
            paramLabel = "URL",
            defaultValue = AuditCommand.DEFAULT_LOG,
            description = "sqlite:PATH or postgresql://USER@HOST:PORT/DB (default: ${DEFAULT-VALUE})")
    String log;

    @Option(
            names = "-n",
            paramLabel = "N",
            defaultValue = "20",
            description = "how many entries to print (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--follow", description = "keep printing new entries")
    boolean follow;

    @Option(names = "--principal", paramLabel = "UID", description = "only this principal, e.g. User::\"alice\"")
    String principal;

    @Option(names = "--action", paramLabel = "UID", description = "only this action, e.g. Action::\"view\"")
    String action;

    @Option(names = "--decision", paramLabel = "DECISION", description = "allow or deny")
    DecisionFilter decision;

    @Option(names = "--policy", paramLabel = "ID", description = "only decisions with this policy among the reasons")
    String policy;

    @Option(names = "--since", paramLabel = "TIME", description = "only decisions at or after TIME (ISO-8601)")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "only decisions before TIME (ISO-8601)")
    String until;

    @Override
    public Integer call() {
        if (count < 0) {
            throw new InputException("`-n` cannot be `" + count + "`");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (DecisionLog decisions = AuditCommand.open(log)) {
            List<LogEntry> last = decisions.latest(query(0, count));
            print(out, last);
            long after = last.isEmpty() ? 0 : last.getLast().seq();
            if (after == 0 && follow) {
                // nothing matched: start following after the current end of the log
                List<LogEntry> end = decisions.latest(new LogQuery(null, null, null, null, null, null, 0, 1));
                after = end.isEmpty() ? 0 : end.getLast().seq();
            }
            while (follow) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
                List<LogEntry> next = decisions.query(query(after, 1000));
                print(out, next);
                if (!next.isEmpty()) {
                    after = next.getLast().seq();
                }
            }
        } catch (DecisionLogException e) {
            throw new InputException(e.getMessage());
        }
        return 0;
    }

    private LogQuery query(long afterSeq, int limit) {
        return new LogQuery(
                instant(since, "--since"),
                instant(until, "--until"),
                principal,
                action,
                decision == null ? null : decision == DecisionFilter.allow,
                policy,
                afterSeq,
                limit);
    }

    private static Instant instant(String text, String option) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InputException(
                    "`" + option + "`: `" + text + "` is not an ISO-8601 time such as 2025-06-01T12:00:00Z");
        }
    }

    private static void print(PrintWriter out, List<LogEntry> entries) {
        for (LogEntry e : entries) {
            out.println(json(e));
        }
        out.flush();
    }

    /** One entry as a JSON object (snake_case keys; the request embedded as JSON when it is JSON). */
    static String json(LogEntry e) {
        DecisionRecord r = e.record();
        ObjectNode o = JSON.createObjectNode();
        o.put("seq", e.seq());
        o.put("decision_id", r.decisionId());
        o.put("time", r.time().toString());
        o.put("kind", r.kind());
        o.put("caller", r.caller());
        o.put("principal", r.principal());
        o.put("action", r.action());
        o.put("resource", r.resource());
        o.put("decision", r.allowed() ? "allow" : "deny");
        ArrayNode reasons = o.putArray("reasons");
        r.reasons().forEach(reasons::add);
        ArrayNode errors = o.putArray("errors");
        r.errors().forEach(errors::add);
        o.put("policy_version", r.policyVersion());
        o.put("latency_micros", r.latencyMicros());
        o.set("request", request(r.requestJson()));
        o.put("prev_hash", e.prevHash());
        o.put("hash", e.hash());
        return o.toString();
    }

    private static JsonNode request(String json) {
        if (json == null) {
            return JSON.nullNode();
        }
        try {
            JsonNode node = JSON.readTree(json);
            return node == null || node.isMissingNode() ? JSON.getNodeFactory().textNode(json) : node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            return JSON.getNodeFactory().textNode(json);
        }
    }
}

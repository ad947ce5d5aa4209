package dev.portcullis.mcp.authz;

import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.log.LogEntry;
import dev.portcullis.pdp.log.LogQuery;
import dev.portcullis.pdp.log.VerifyResult;
import java.util.ArrayList;
import java.util.List;

/** A decision log in memory, for tests (public: the gateway's tests in the parent package use it too). */
public final class MemoryLog implements DecisionLog {
    private final List<DecisionRecord> records = new ArrayList<>();

    @Override
    public synchronized void append(DecisionRecord record) {
        records.add(record);
    }

    public synchronized List<DecisionRecord> records() {
        return List.copyOf(records);
    }

    synchronized DecisionRecord byId(String id) {
        return records.stream()
                .filter(r -> r.decisionId().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Override
    public synchronized List<LogEntry> query(LogQuery query) {
        List<LogEntry> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            out.add(new LogEntry(i + 1, records.get(i), "", ""));
        }
        return out;
    }

    @Override
    public VerifyResult verify() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
}

package dev.portcullis.pdp;

import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionLogException;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.log.LogEntry;
import dev.portcullis.pdp.log.LogQuery;
import dev.portcullis.pdp.log.VerifyResult;
import java.util.ArrayList;
import java.util.List;

/** A test double: keeps records in memory, and can be told to fail like an unreachable store. */
public final class InMemoryDecisionLog implements DecisionLog {
    private final List<DecisionRecord> records = new ArrayList<>();
    private volatile boolean failing;
    private volatile boolean keeping = true;

    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** Whether to keep the records (long load tests do not, to keep memory flat). */
    public void keeping(boolean keeping) {
        this.keeping = keeping;
    }

    @Override
    public synchronized void append(DecisionRecord record) {
        if (failing) {
            throw new DecisionLogException("log store unreachable");
        }
        if (keeping) {
            records.add(record);
        }
    }

    public synchronized List<DecisionRecord> records() {
        return List.copyOf(records);
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
        return VerifyResult.ok(records.size());
    }

    @Override
    public void close() {}
}

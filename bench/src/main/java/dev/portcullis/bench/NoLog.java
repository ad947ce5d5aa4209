package dev.portcullis.bench;

import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.log.LogEntry;
import dev.portcullis.pdp.log.LogQuery;
import dev.portcullis.pdp.log.VerifyResult;
import java.util.List;

/** A decision log that keeps nothing, for benchmarks of the decision path without the log's cost. */
public final class NoLog implements DecisionLog {
    @Override
    public void append(DecisionRecord record) {}

    @Override
    public List<LogEntry> query(LogQuery query) {
        return List.of();
    }

    @Override
    public VerifyResult verify() {
        return VerifyResult.ok(0);
    }

    @Override
    public void close() {}
}

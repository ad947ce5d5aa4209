package dev.portcullis.server.cli;

import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionLogException;
import dev.portcullis.pdp.log.VerifyResult;
import dev.portcullis.server.input.InputException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis audit verify}: walks the hash chain of a decision log and names the first
 * entry that was edited, deleted or re-linked.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Check that the decision log's hash chain is intact.",
            "Prints `ok: N entries` (exit 0) or `broken at entry S: ...` (exit 1)."
        })
final class AuditVerifyCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--log",
            paramLabel = "URL",
            defaultValue = AuditCommand.DEFAULT_LOG,
            description = "sqlite:PATH or postgresql://USER@HOST:PORT/DB (default: ${DEFAULT-VALUE})")
    String log;

    @Override
    public Integer call() {
        VerifyResult result;
        try (DecisionLog decisions = AuditCommand.open(log)) {
            result = decisions.verify();
        } catch (DecisionLogException e) {
            throw new InputException(e.getMessage());
        }
        if (result.intact()) {
            spec.commandLine().getOut().println("ok: " + result.entries() + " entries");
            return 0;
        }
        spec.commandLine()
                .getOut()
                .println("broken at entry " + result.firstBrokenSeq() + ": " + result.problem() + " ("
                        + result.entries() + " entries before it are intact)");
        return 1;
    }
}

package dev.portcullis.server.cli;

import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionLogException;
import dev.portcullis.pdp.log.DecisionLogs;
import dev.portcullis.server.input.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code portcullis audit}: the decision log; the work is done by its sub-commands. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Inspect the decision log.",
        subcommands = {AuditVerifyCommand.class, AuditTailCommand.class})
final class AuditCommand implements Runnable {
    /** Where the embedded server keeps its log, so that the sub-commands find it by default. */
    static final String DEFAULT_LOG = "sqlite:./data/decisions.db";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing sub-command (try `verify` or `tail`)");
    }

    /** Opens an existing log for reading: a wrong path is an error, not a new empty log. */
    static DecisionLog open(String url) {
        try {
            return DecisionLogs.open(url, DecisionLogs.Options.defaults().withCreate(false));
        } catch (DecisionLogException e) {
            throw new InputException(e.getMessage());
        }
    }
}

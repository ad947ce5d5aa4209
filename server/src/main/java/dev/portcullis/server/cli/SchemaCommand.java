package dev.portcullis.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code portcullis schema}: schema tools; the work is done by its sub-commands. */
@Command(
        name = "schema",
        mixinStandardHelpOptions = true,
        description = "Schema tools.",
        subcommands = {SchemaTranslateCommand.class})
final class SchemaCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing sub-command (try `translate`)");
    }
}

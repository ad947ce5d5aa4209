package dev.portcullis.server.cli;

import dev.portcullis.server.input.InputException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code portcullis} command line. Exit codes: 0 success (for {@code authorize}: allow), 2
 * deny, 1 bad input or failure; errors are one line on stderr, never a stack trace.
 */
@Command(
        name = "portcullis",
        mixinStandardHelpOptions = true,
        version = "portcullis 0.1.0",
        description = "Runtime authorization for AI agents: Cedar policies, decided in Java.",
        subcommands = {
            AuthorizeCommand.class,
            ServeCommand.class,
            McpGatewayCommand.class,
            FormatCommand.class,
            CheckParseCommand.class,
            ConformanceCommand.class,
            SchemaCommand.class,
            ValidateCommand.class,
            AuditCommand.class,
            DevTokenCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /** Exit code for bad input and failures (usage errors included). */
    public static final int BAD_INPUT = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        System.exit(run(
                args,
                System.in,
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs one command line in-process; returns the exit code. */
    public static int run(String[] args, InputStream stdin, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        Stdin.set(stdin);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("error: " + e.getMessage());
            err.println("(see `" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help`)");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InputException) {
                err.println("error: " + e.getMessage());
            } else {
                // a bug, not bad input: still one line, with enough to report it
                err.println("error: internal error: " + e);
            }
            return BAD_INPUT;
        });
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Standard input for the commands that read it, replaceable by tests. */
    static final class Stdin {
        private static final ThreadLocal<InputStream> IN = ThreadLocal.withInitial(() -> System.in);

        static void set(InputStream in) {
            IN.set(in);
        }

        static InputStream get() {
            return IN.get();
        }
    }
}

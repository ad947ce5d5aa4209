package dev.portcullis.server.cli;

import dev.portcullis.cedar.format.PolicyFormatter;
import dev.portcullis.cedar.parser.ParseException;
import dev.portcullis.server.input.InputException;
import dev.portcullis.server.input.Inputs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis format}: prints Cedar policies in the canonical layout, keeping their comments. */
@Command(
        name = "format",
        mixinStandardHelpOptions = true,
        description = {
            "Format Cedar policy files (standard input when no file is given) and print the result.",
            "With --check, print nothing and exit 1 when some file is not formatted."
        })
final class FormatCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--check", description = "only check; exit 1 if some file would change")
    boolean check;

    @Option(
            names = {"-w", "--write"},
            description = "rewrite the files in place instead of printing")
    boolean write;

    @Parameters(paramLabel = "FILE", arity = "0..*")
    List<Path> files = List.of();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (files.isEmpty()) {
            String text = Inputs.readUtf8(Main.Stdin.get(), "<stdin>");
            String formatted = format(text, "<stdin>");
            if (check) {
                if (!formatted.equals(text)) {
                    err.println("<stdin>: not formatted");
                    return 1;
                }
                return 0;
            }
            out.print(formatted);
            return 0;
        }
        int status = 0;
        for (Path f : files) {
            String text = Inputs.readUtf8(f);
            String formatted = format(text, f.toString());
            if (check) {
                if (!formatted.equals(text)) {
                    err.println(f + ": not formatted");
                    status = 1;
                }
            } else if (write) {
                if (!formatted.equals(text)) {
                    try {
                        Files.writeString(f, formatted, StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new InputException(f + ": cannot write: " + e.getMessage());
                    }
                }
            } else {
                out.print(formatted);
            }
        }
        return status;
    }

    private static String format(String text, String name) {
        try {
            return PolicyFormatter.formatSource(text);
        } catch (ParseException e) {
            throw new InputException(name + ":" + e.getMessage());
        }
    }
}

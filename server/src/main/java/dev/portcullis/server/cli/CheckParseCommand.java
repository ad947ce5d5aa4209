package dev.portcullis.server.cli;

import dev.portcullis.cedar.PolicySet;
import dev.portcullis.server.input.InputException;
import dev.portcullis.server.input.Inputs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis check-parse}: parses files and reports the first error in each. */
@Command(
        name = "check-parse",
        mixinStandardHelpOptions = true,
        description = {
            "Parse Cedar files: policies (.cedar) or schemas (.cedarschema, .cedarschema.json).",
            "Prints one line per file; exit 1 when some file does not parse."
        })
final class CheckParseCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*")
    List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int status = 0;
        for (Path f : files) {
            String name = f.getFileName().toString();
            try {
                if (name.endsWith(".cedarschema") || name.endsWith(".cedarschema.json")) {
                    Inputs.schema(f);
                    out.println(f + ": ok (schema)");
                } else {
                    PolicySet set = Inputs.policies(f, false);
                    out.println(f + ": ok (" + set.policies().size() + " policies, "
                            + set.templates().size() + " templates)");
                }
            } catch (InputException e) {
                err.println("error: " + e.getMessage());
                status = 1;
            }
        }
        return status;
    }
}

package dev.portcullis.server.cli;

import dev.portcullis.cedar.schema.SchemaException;
import dev.portcullis.cedar.schema.SchemaPrinter;
import dev.portcullis.server.input.InputException;
import dev.portcullis.server.input.Inputs;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis schema translate}: converts a schema between the Cedar format and the JSON
 * format, keeping namespaces, common types and annotations. The same format on both sides
 * re-prints the schema in canonical layout.
 */
@Command(
        name = "translate",
        mixinStandardHelpOptions = true,
        description = {
            "Translate a schema between the Cedar format (.cedarschema) and the JSON format.",
            "Prints the translation on stdout; exit 1 when the schema is invalid.",
            "FILE `-` reads standard input."
        })
final class SchemaTranslateCommand implements Callable<Integer> {
    enum Format {
        cedar,
        json
    }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "FORMAT", description = "cedar or json")
    Format from;

    @Option(names = "--to", required = true, paramLabel = "FORMAT", description = "cedar or json")
    Format to;

    @Parameters(paramLabel = "FILE", arity = "1")
    Path file;

    @Override
    public Integer call() {
        String name = file.toString();
        String text = name.equals("-") ? Inputs.readUtf8(Main.Stdin.get(), "stdin") : Inputs.readUtf8(file);
        String result;
        try {
            result = switch (from) {
                case cedar -> to == Format.json ? SchemaPrinter.cedarToJson(text) : SchemaPrinter.formatCedar(text);
                case json -> to == Format.cedar ? SchemaPrinter.jsonToCedar(text) : SchemaPrinter.formatJson(text);
            };
        } catch (SchemaException e) {
            throw new InputException((name.equals("-") ? "stdin" : name) + ": " + e.getMessage());
        }
        spec.commandLine().getOut().print(result);
        return 0;
    }
}

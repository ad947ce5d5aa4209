package dev.portcullis.server.http;

import dev.portcullis.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The photoflash example copied into a temporary directory and served on an ephemeral port. */
final class ExampleServer {
    private ExampleServer() {}

    /**
     * Starts the server on the example's policies and entities, with {@code serverYaml} added under
     * {@code server:} (e.g. {@code tls: ...}) and {@code authYaml} as the {@code auth:} section.
     */
    static PortcullisServer start(Path dir, String serverYaml, String authYaml) throws IOException {
        Path example = Path.of(System.getProperty("user.dir"))
                .resolve("../examples/photoflash")
                .normalize();
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.copy(example.resolve("policies.cedar"), policies.resolve("policies.cedar"));
        Files.copy(example.resolve("schema.cedarschema"), policies.resolve("schema.cedarschema"));
        Files.copy(example.resolve("entities.json"), dir.resolve("entities.json"));
        Path cfg = dir.resolve("portcullis.yaml");
        Files.writeString(
                cfg, """
                server:
                  port: 0
                %s
                policies: {dir: policies, watch: false}
                entities: {files: [entities.json]}
                log: {url: "sqlite:%s"}
                mapping: {types: {user: User, photo: Photo}}
                %s
                """.formatted(serverYaml.indent(2).stripTrailing(), dir.resolve("data/decisions.db"), authYaml));
        return PortcullisServer.start(ConfigLoader.load(cfg, Map.of()));
    }

    /** An AuthZEN evaluation that the photoflash policies allow (alice views a family album photo). */
    static final String ALLOWED_EVALUATION = """
            {"subject": {"type": "user", "id": "alice"}, "action": {"name": "view"},
             "resource": {"type": "photo", "id": "vacation.jpg"}}""";
}

package dev.portcullis.mcp.it;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.AudioContent;
import io.modelcontextprotocol.spec.McpSchema.BlobResourceContents;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.EmbeddedResource;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.PromptReference;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.SamplingMessage;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The conformance fixture: an MCP server written with the official Java MCP SDK (Streamable HTTP
 * servlet transport in Jetty 12) exposing the tools, resources, prompts and completions the server
 * scenarios of {@code @modelcontextprotocol/conformance} 0.1.16 call by name, each answering as the
 * scenario's description asks. It validates Host/Origin against the local addresses (DNS
 * rebinding protection).
 */
final class ConformanceFixture implements AutoCloseable {

    /** A 1×1 PNG. */
    static final String PNG =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private final Server jetty;
    private final McpSyncServer mcp;
    final String url;

    private ConformanceFixture(Server jetty, McpSyncServer mcp, String url) {
        this.jetty = jetty;
        this.mcp = mcp;
        this.url = url;
    }

    static ConformanceFixture start() throws Exception {
        int port = ChildProcess.freePort();
        var transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp")
                .securityValidator(DefaultServerTransportSecurityValidator.builder()
                        .allowedHosts(List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port))
                        .allowedOrigins(
                                List.of("http://localhost:" + port, "http://127.0.0.1:" + port, "http://[::1]:" + port))
                        .build())
                .build();
        McpSyncServer mcp = McpServer.sync(transport)
                .serverInfo("portcullis-conformance-fixture", "1.0.0")
                .capabilities(ServerCapabilities.builder()
                        .tools(true)
                        .resources(true, true)
                        .prompts(true)
                        .logging()
                        .completions()
                        .build())
                .tools(tools())
                .resources(resources())
                .resourceTemplates(new SyncResourceTemplateSpecification(
                        ResourceTemplate.builder()
                                .uriTemplate("test://template/{id}/data")
                                .name("template-data")
                                .description("Data for an id")
                                .mimeType("application/json")
                                .build(),
                        (ex, req) -> {
                            String id = req.uri()
                                    .replaceFirst("^test://template/", "")
                                    .replaceFirst("/data$", "");
                            return new ReadResourceResult(List.of(new TextResourceContents(
                                    req.uri(),
                                    "application/json",
                                    "{\"id\":\"" + id + "\",\"templateTest\":true,\"data\":\"Data for ID: " + id
                                            + "\"}")));
                        }))
                .prompts(prompts())
                .completions(new SyncCompletionSpecification(
                        new PromptReference("test_prompt_with_arguments"),
                        (ex, req) -> new CompleteResult(new CompleteResult.CompleteCompletion(
                                List.of("paris", "park", "party").stream()
                                        .filter(v -> v.startsWith(req.argument().value()))
                                        .toList(),
                                3,
                                false))))
                .build();

        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(transport);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        jetty.setHandler(context);
        jetty.start();
        return new ConformanceFixture(jetty, mcp, "http://localhost:" + port + "/mcp");
    }

    private static List<SyncToolSpecification> tools() {
        return List.of(
                tool(
                        "test_simple_text",
                        "Returns simple text",
                        (ex, req) -> text("This is a simple text response for testing.")),
                tool(
                        "test_image_content",
                        "Returns an image",
                        (ex, req) -> result(new ImageContent(null, PNG, "image/png"))),
                tool(
                        "test_audio_content",
                        "Returns audio",
                        (ex, req) -> result(new AudioContent(null, wav(), "audio/wav"))),
                tool(
                        "test_embedded_resource",
                        "Returns an embedded resource",
                        (ex, req) -> result(new EmbeddedResource(
                                null,
                                new TextResourceContents(
                                        "test://embedded-resource",
                                        "text/plain",
                                        "This is an embedded resource content.")))),
                tool(
                        "test_multiple_content_types",
                        "Returns text, an image and a resource",
                        (ex, req) -> result(
                                new TextContent("Multiple content types test:"),
                                new ImageContent(null, PNG, "image/png"),
                                new EmbeddedResource(
                                        null,
                                        new TextResourceContents(
                                                "test://mixed-content-resource",
                                                "application/json",
                                                "{\"test\":\"data\",\"value\":123}")))),
                tool("test_tool_with_logging", "Logs while it runs", (ex, req) -> {
                    for (String m :
                            List.of("Tool execution started", "Tool processing data", "Tool execution completed")) {
                        ex.loggingNotification(LoggingMessageNotification.builder()
                                .level(LoggingLevel.INFO)
                                .logger("fixture")
                                .data(m)
                                .build());
                        pause();
                    }
                    return text("Logging tool finished");
                }),
                tool("test_error_handling", "Always fails", (ex, req) -> CallToolResult.builder()
                        .addTextContent("This tool intentionally returns an error for testing")
                        .isError(true)
                        .build()),
                tool("test_tool_with_progress", "Reports progress", (ex, req) -> {
                    Object token = req.meta() == null ? null : req.meta().get("progressToken");
                    for (double p : new double[] {0, 50, 100}) {
                        if (token != null) {
                            ex.progressNotification(new ProgressNotification(token, p, 100.0, null));
                        }
                        pause();
                    }
                    return text("Progress tool finished");
                }),
                tool(
                        "test_sampling",
                        "Asks the client's model",
                        Map.of("prompt", Map.of("type", "string")),
                        (ex, req) -> {
                            var answer = ex.createMessage(CreateMessageRequest.builder()
                                    .messages(List.of(new SamplingMessage(
                                            Role.USER,
                                            new TextContent(String.valueOf(
                                                    req.arguments().get("prompt"))))))
                                    .maxTokens(100)
                                    .build());
                            String said = answer.content() instanceof TextContent t
                                    ? t.text()
                                    : String.valueOf(answer.content());
                            return text("LLM response: " + said);
                        }),
                tool(
                        "test_elicitation",
                        "Asks the user",
                        Map.of("message", Map.of("type", "string")),
                        (ex, req) -> elicit(
                                ex,
                                String.valueOf(req.arguments().get("message")),
                                Map.of(
                                        "type", "object",
                                        "properties",
                                                Map.of(
                                                        "username",
                                                                Map.of(
                                                                        "type",
                                                                        "string",
                                                                        "description",
                                                                        "User's response"),
                                                        "email",
                                                                Map.of(
                                                                        "type",
                                                                        "string",
                                                                        "description",
                                                                        "User's email address")),
                                        "required", List.of("username", "email")),
                                "User response: ")),
                tool(
                        "test_elicitation_sep1034_defaults",
                        "Elicitation with defaults",
                        (ex, req) -> elicit(
                                ex,
                                "Please review the defaults",
                                Map.of(
                                        "type",
                                        "object",
                                        "properties",
                                        ordered(
                                                "name", Map.of("type", "string", "default", "John Doe"),
                                                "age", Map.of("type", "integer", "default", 30),
                                                "score", Map.of("type", "number", "default", 95.5),
                                                "status",
                                                        Map.of(
                                                                "type", "string",
                                                                "enum", List.of("active", "inactive", "pending"),
                                                                "default", "active"),
                                                "verified", Map.of("type", "boolean", "default", true))),
                                "Elicitation completed: ")),
                tool(
                        "test_elicitation_sep1330_enums",
                        "Elicitation with enum variants",
                        (ex, req) -> elicit(
                                ex,
                                "Please choose",
                                Map.of(
                                        "type",
                                        "object",
                                        "properties",
                                        ordered(
                                                "untitledSingle",
                                                        Map.of(
                                                                "type",
                                                                "string",
                                                                "enum",
                                                                List.of("option1", "option2", "option3")),
                                                "titledSingle",
                                                        Map.of(
                                                                "type",
                                                                "string",
                                                                "oneOf",
                                                                List.of(
                                                                        Map.of(
                                                                                "const",
                                                                                "value1",
                                                                                "title",
                                                                                "First Option"),
                                                                        Map.of(
                                                                                "const",
                                                                                "value2",
                                                                                "title",
                                                                                "Second Option"),
                                                                        Map.of(
                                                                                "const",
                                                                                "value3",
                                                                                "title",
                                                                                "Third Option"))),
                                                "legacyEnum",
                                                        Map.of(
                                                                "type", "string",
                                                                "enum", List.of("opt1", "opt2", "opt3"),
                                                                "enumNames",
                                                                        List.of(
                                                                                "Option One",
                                                                                "Option Two",
                                                                                "Option Three")),
                                                "untitledMulti",
                                                        Map.of(
                                                                "type",
                                                                "array",
                                                                "items",
                                                                Map.of(
                                                                        "type",
                                                                        "string",
                                                                        "enum",
                                                                        List.of("option1", "option2", "option3"))),
                                                "titledMulti",
                                                        Map.of(
                                                                "type",
                                                                "array",
                                                                "items",
                                                                Map.of(
                                                                        "anyOf",
                                                                        List.of(
                                                                                Map.of(
                                                                                        "const",
                                                                                        "value1",
                                                                                        "title",
                                                                                        "First Choice"),
                                                                                Map.of(
                                                                                        "const",
                                                                                        "value2",
                                                                                        "title",
                                                                                        "Second Choice"),
                                                                                Map.of(
                                                                                        "const",
                                                                                        "value3",
                                                                                        "title",
                                                                                        "Third Choice")))))),
                                "Elicitation completed: ")),
                new SyncToolSpecification(
                        Tool.builder()
                                .name("json_schema_2020_12_tool")
                                .description("Tool with JSON Schema 2020-12 features")
                                .inputSchema(ordered(
                                        "$schema",
                                        "https://json-schema.org/draft/2020-12/schema",
                                        "type",
                                        "object",
                                        "$defs",
                                        Map.of(
                                                "address",
                                                Map.of(
                                                        "type",
                                                        "object",
                                                        "properties",
                                                        Map.of(
                                                                "street", Map.of("type", "string"),
                                                                "city", Map.of("type", "string")))),
                                        "properties",
                                        Map.of(
                                                "name", Map.of("type", "string"),
                                                "address", Map.of("$ref", "#/$defs/address")),
                                        "additionalProperties",
                                        false))
                                .build(),
                        (ex, req) -> text("ok")),
                tool("test_reconnection", "Answers after a pause", (ex, req) -> {
                    pause();
                    return text("Reconnection test completed successfully");
                }));
    }

    private static List<SyncResourceSpecification> resources() {
        return List.of(
                resource(
                        "test://static-text",
                        "static-text",
                        "text/plain",
                        (ex, req) -> new ReadResourceResult(List.of(new TextResourceContents(
                                req.uri(), "text/plain", "This is the content of the static text resource.")))),
                resource(
                        "test://static-binary",
                        "static-binary",
                        "image/png",
                        (ex, req) ->
                                new ReadResourceResult(List.of(new BlobResourceContents(req.uri(), "image/png", PNG)))),
                resource(
                        "test://watched-resource",
                        "watched-resource",
                        "text/plain",
                        (ex, req) -> new ReadResourceResult(List.of(
                                new TextResourceContents(req.uri(), "text/plain", "Watched resource content")))));
    }

    private static List<SyncPromptSpecification> prompts() {
        return List.of(
                new SyncPromptSpecification(
                        new Prompt("test_simple_prompt", "A simple prompt", List.of()),
                        (ex, req) -> new GetPromptResult(
                                null,
                                List.of(new PromptMessage(
                                        Role.USER, new TextContent("This is a simple prompt for testing."))))),
                new SyncPromptSpecification(
                        new Prompt(
                                "test_prompt_with_arguments",
                                "A prompt with arguments",
                                List.of(
                                        new PromptArgument("arg1", "First test argument", true),
                                        new PromptArgument("arg2", "Second test argument", true))),
                        (ex, req) -> new GetPromptResult(
                                null,
                                List.of(new PromptMessage(
                                        Role.USER,
                                        new TextContent("Prompt with arguments: arg1='"
                                                + req.arguments().get("arg1") + "', arg2='"
                                                + req.arguments().get("arg2") + "'"))))),
                new SyncPromptSpecification(
                        new Prompt(
                                "test_prompt_with_embedded_resource",
                                "A prompt with an embedded resource",
                                List.of(new PromptArgument("resourceUri", "URI of the resource to embed", true))),
                        (ex, req) -> new GetPromptResult(
                                null,
                                List.of(
                                        new PromptMessage(
                                                Role.USER,
                                                new EmbeddedResource(
                                                        null,
                                                        new TextResourceContents(
                                                                String.valueOf(
                                                                        req.arguments()
                                                                                .get("resourceUri")),
                                                                "text/plain",
                                                                "Embedded resource content for testing."))),
                                        new PromptMessage(
                                                Role.USER,
                                                new TextContent("Please process the embedded resource above."))))),
                new SyncPromptSpecification(
                        new Prompt("test_prompt_with_image", "A prompt with an image", List.of()),
                        (ex, req) -> new GetPromptResult(
                                null,
                                List.of(
                                        new PromptMessage(Role.USER, new ImageContent(null, PNG, "image/png")),
                                        new PromptMessage(
                                                Role.USER, new TextContent("Please analyze the image above."))))));
    }

    private static CallToolResult elicit(
            McpSyncServerExchange ex, String message, Map<String, Object> schema, String prefix) {
        ElicitResult r =
                ex.createElicitation(ElicitFormRequest.builder(message, schema).build());
        return text(prefix + "action=" + r.action().name().toLowerCase() + ", content=" + r.content());
    }

    private static SyncToolSpecification tool(
            String name,
            String description,
            BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
        return tool(name, description, Map.of(), handler);
    }

    private static SyncToolSpecification tool(
            String name,
            String description,
            Map<String, Object> properties,
            BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", List.copyOf(properties.keySet()));
        return new SyncToolSpecification(
                Tool.builder()
                        .name(name)
                        .description(description)
                        .inputSchema(schema)
                        .build(),
                handler);
    }

    private static SyncResourceSpecification resource(
            String uri,
            String name,
            String mime,
            BiFunction<
                            McpSyncServerExchange,
                            io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest,
                            ReadResourceResult>
                    read) {
        return new SyncResourceSpecification(
                Resource.builder()
                        .uri(uri)
                        .name(name)
                        .description("Conformance resource " + name)
                        .mimeType(mime)
                        .build(),
                read);
    }

    private static CallToolResult text(String text) {
        return result(new TextContent(text));
    }

    private static CallToolResult result(Content... content) {
        return CallToolResult.builder().content(List.of(content)).build();
    }

    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** A tiny WAV: a RIFF header and 8 silent samples. */
    private static String wav() {
        byte[] b = new byte[44 + 8];
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.put("RIFF".getBytes()).putInt(36 + 8).put("WAVE".getBytes()).put("fmt ".getBytes());
        buf.putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(8000)
                .putInt(8000)
                .putShort((short) 1);
        buf.putShort((short) 8).put("data".getBytes()).putInt(8);
        return Base64.getEncoder().encodeToString(b);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws Exception {
        mcp.closeGracefully();
        jetty.stop();
    }
}

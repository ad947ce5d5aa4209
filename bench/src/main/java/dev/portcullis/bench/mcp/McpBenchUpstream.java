package dev.portcullis.bench.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import java.util.UUID;

/**
 * A minimal Streamable HTTP MCP server for the gateway benchmark: {@code initialize}, {@code
 * tools/list} (one tool, {@code echo}) and {@code tools/call} answered with {@code
 * application/json} from the event loop, so that what the benchmark sees of it is as small as
 * possible. Usage: {@code McpBenchUpstream PORT}.
 */
public final class McpBenchUpstream {
    private static final ObjectMapper M = new ObjectMapper();

    private McpBenchUpstream() {}

    public static Server start(int port) {
        Server server = Server.builder()
                .http(port)
                .service("/mcp", (ctx, req) -> {
                    if (req.method() == HttpMethod.DELETE) {
                        return HttpResponse.of(HttpStatus.OK);
                    }
                    if (req.method() != HttpMethod.POST) {
                        return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED);
                    }
                    return HttpResponse.of(req.aggregate().thenApply(agg -> {
                        try {
                            return answer(
                                    M.readTree(agg.contentUtf8()), req.headers().get("mcp-session-id"));
                        } catch (Exception e) {
                            return HttpResponse.of(HttpStatus.BAD_REQUEST);
                        }
                    }));
                })
                .build();
        server.start().join();
        return server;
    }

    private static HttpResponse answer(JsonNode msg, String session) {
        if (!msg.has("id") || !msg.has("method")) {
            return HttpResponse.of(HttpStatus.ACCEPTED);
        }
        ObjectNode out = M.createObjectNode().put("jsonrpc", "2.0");
        out.set("id", msg.get("id"));
        ObjectNode r = out.putObject("result");
        String sid = session;
        switch (msg.get("method").asText()) {
            case "initialize" -> {
                sid = UUID.randomUUID().toString();
                r.put(
                        "protocolVersion",
                        msg.path("params").path("protocolVersion").asText("2025-11-25"));
                r.putObject("capabilities").putObject("tools");
                r.putObject("serverInfo").put("name", "bench-upstream").put("version", "1");
            }
            case "tools/list" -> {
                ObjectNode t = r.putArray("tools").addObject().put("name", "echo");
                t.putObject("inputSchema").put("type", "object");
            }
            case "tools/call" ->
                r.putArray("content")
                        .addObject()
                        .put("type", "text")
                        .put(
                                "text",
                                msg.path("params")
                                        .path("arguments")
                                        .path("message")
                                        .asText());
            case "ping" -> {}
            default -> {
                out.remove("result");
                out.putObject("error").put("code", -32601).put("message", "Method not found");
            }
        }
        ResponseHeaders h = ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.JSON_UTF_8)
                .add("mcp-session-id", sid == null ? "" : sid)
                .build();
        return HttpResponse.of(h, com.linecorp.armeria.common.HttpData.ofUtf8(out.toString()));
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Server s = start(port);
        System.out.println("bench upstream on http://127.0.0.1:" + s.activeLocalPort() + "/mcp");
        Thread.currentThread().join();
    }
}

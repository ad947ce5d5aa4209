package dev.portcullis.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** The smallest stdio MCP server for the hosting test: tools `echo` and `secret`. */
public final class TinyMcpUpstream {
    public static void main(String[] args) throws IOException {
        ObjectMapper m = new ObjectMapper();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            ObjectNode msg = (ObjectNode) m.readTree(line);
            if (!msg.has("id") || !msg.has("method")) {
                continue;
            }
            ObjectNode out = m.createObjectNode().put("jsonrpc", "2.0");
            out.set("id", msg.get("id"));
            ObjectNode r = out.putObject("result");
            switch (msg.get("method").asText()) {
                case "initialize" -> {
                    r.put(
                            "protocolVersion",
                            msg.path("params").path("protocolVersion").asText());
                    r.putObject("capabilities").putObject("tools");
                    r.putObject("serverInfo").put("name", "tiny").put("version", "1");
                }
                case "tools/list" -> {
                    for (String t : new String[] {"echo", "secret"}) {
                        r.withArray("tools")
                                .addObject()
                                .put("name", t)
                                .putObject("inputSchema")
                                .put("type", "object");
                    }
                }
                case "tools/call" ->
                    r.putArray("content")
                            .addObject()
                            .put("type", "text")
                            .put(
                                    "text",
                                    "called " + msg.path("params").path("name").asText());
                default -> {}
            }
            System.out.println(out);
            System.out.flush();
        }
    }
}

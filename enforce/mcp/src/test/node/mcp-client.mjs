// Runs one MCP client scenario with the official TypeScript SDK client and prints the outcome as JSON
// on stdout (one document). Used by the Java tests in dev.portcullis.mcp.it.
//
//   node mcp-client.mjs <scenario.json>
//
// scenario: {
//   "transport": {"type": "stdio", "command": "...", "args": [...], "env": {...}, "cwd": "..."}
//             | {"type": "http", "url": "http://127.0.0.1:port/mcp", "headers": {...}},
//   "timeoutMs": 60000,   (optional: the SDK's request timeout, connect included; default 60 s)
//   "steps": [ {"op": "listTools"} | {"op": "callTool", "name": "...", "arguments": {...}}
//            | {"op": "listResources"} | {"op": "readResource", "uri": "..."}
//            | {"op": "listPrompts"} | {"op": "getPrompt", "name": "...", "arguments": {...}} ]
// }
// output: {"server": {name, version}, "protocolVersion": "...", "steps": [{"op", "ok": true, "result"} |
//          {"op", "ok": false, "error": {"code", "message"}}]}
// A step that fails does not stop the scenario: every step is reported.
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const scenario = JSON.parse(readFileSync(process.argv[2], "utf8"));

function transportFor(t) {
  if (t.type === "stdio") {
    return new StdioClientTransport({
      command: t.command,
      args: t.args ?? [],
      env: { ...process.env, ...(t.env ?? {}) },
      cwd: t.cwd,
      stderr: "inherit",
    });
  }
  if (t.type === "http") {
    return new StreamableHTTPClientTransport(new URL(t.url), {
      requestInit: { headers: t.headers ?? {} },
    });
  }
  throw new Error(`unknown transport type ${t.type}`);
}

const options = scenario.timeoutMs ? { timeout: scenario.timeoutMs } : undefined;

async function run(client, step) {
  switch (step.op) {
    case "listTools":
      return client.listTools(undefined, options);
    case "callTool":
      return client.callTool({ name: step.name, arguments: step.arguments ?? {} }, undefined, options);
    case "listResources":
      return client.listResources(undefined, options);
    case "readResource":
      return client.readResource({ uri: step.uri }, options);
    case "listPrompts":
      return client.listPrompts(undefined, options);
    case "getPrompt":
      return client.getPrompt({ name: step.name, arguments: step.arguments ?? {} }, options);
    default:
      throw new Error(`unknown op ${step.op}`);
  }
}

const out = { steps: [] };
const client = new Client({ name: "portcullis-interop-client", version: "1.0.0" }, { capabilities: {} });
try {
  await client.connect(transportFor(scenario.transport), options);
  out.server = client.getServerVersion();
  for (const step of scenario.steps) {
    try {
      out.steps.push({ op: step.op, ok: true, result: await run(client, step) });
    } catch (e) {
      out.steps.push({ op: step.op, ok: false, error: { code: e.code ?? null, message: String(e.message ?? e) } });
    }
  }
} catch (e) {
  out.connectError = String(e.message ?? e);
} finally {
  try {
    await client.close();
  } catch {
    // closing a dead transport is not the scenario's outcome
  }
}
process.stdout.write(JSON.stringify(out) + "\n");
process.exit(0);

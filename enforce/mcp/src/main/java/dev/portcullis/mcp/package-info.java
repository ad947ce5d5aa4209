/**
 * The MCP gateway: a JSON-RPC proxy between MCP clients and upstream MCP servers that puts a
 * Portcullis decision in front of every message (COAZ-MCP binding). The proxy side (transports,
 * upstreams, aggregation) talks to the authorization side only through {@link
 * dev.portcullis.mcp.McpAuthorizer}.
 */
package dev.portcullis.mcp;

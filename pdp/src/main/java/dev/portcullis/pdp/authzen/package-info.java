/**
 * AuthZEN → Cedar: the mapping of AuthZEN evaluation requests (subject, action, resource,
 * context) to {@link dev.portcullis.pdp.DecisionRequest}s, shared by the server's AuthZEN API and
 * the enforcement points that speak AuthZEN internally (the MCP gateway's COAZ-MCP binding).
 */
package dev.portcullis.pdp.authzen;

#!/usr/bin/env bash
# MCP gateway overhead: tools/call latency and throughput straight to an upstream vs through the
# gateway hosted by `portcullis serve` (Streamable HTTP both ways, an allow decision on every call,
# decision log on: SQLite, buffered). The upstream is a minimal Java MCP server
# (dev.portcullis.bench.mcp.McpBenchUpstream), so the difference is the gateway's.
#
#   bench/mcp/run.sh                    # 20 s per side, 4 connections, 20 s warm-up (the gateway's JIT needs it on 2 cores)
#   SECONDS_PER_SIDE=60 CONNECTIONS=8 bench/mcp/run.sh
#   AB=1 bench/mcp/run.sh               # direct, gateway, direct, gateway (drift on a busy machine shows)
#   GATEWAY_JAR=/tmp/base.jar bench/mcp/run.sh   # the gateway of another build (A/B)
#   GATEWAY_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/gw.jfr,settings=profile' bench/mcp/run.sh
#
# Prints, for both: requests, req/s, p50/p90/p99/max latency, and the CPU time the gateway and the
# upstream process spent per call (from /proc; less disturbed by other load than latency), then the
# added p50/p99. The output is also written to bench/results/mcp-gateway.log (for docs/performance.md).
#
# Target (issue 6): added p50 <= 0.5 ms. Run it on a quiet machine; figures go to docs/performance.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="$here/.cache"
seconds="${SECONDS_PER_SIDE:-20}"
connections="${CONNECTIONS:-4}"
warmup="${WARMUP:-20}"
upstream_port="${UPSTREAM_PORT:-18291}"
gateway_port="${GATEWAY_PORT:-18290}"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
java="$JAVA_HOME/bin/java"

mkdir -p "$cache/policies"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && ./mvnw -q -B -pl server,bench -am package -DskipTests -Dspotless.check.skip=true)
fi

cat > "$cache/policies/allow.cedar" <<'CEDAR'
// the benchmark measures the path of an allowed call
permit (principal, action, resource);
CEDAR
rm -f "$cache"/decisions.db*
cat > "$cache/gateway.yaml" <<YAML
server: {bind: 127.0.0.1, port: $gateway_port}
auth: {disabled: true}
policies: {dir: policies, watch: false}
log: {url: 'sqlite:$cache/decisions.db', mode: buffered}
logging: {level: warn}
mcp:
  upstreams:
    - {name: bench, url: 'http://127.0.0.1:$upstream_port/mcp'}
  identity: {subject: bench-agent}
  authorization: {server_id: bench}
YAML

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

"$java" -cp "$root/bench/target/benchmarks.jar" dev.portcullis.bench.mcp.McpBenchUpstream "$upstream_port" \
  > "$cache/upstream.log" 2>&1 &
upstream_pid=$!
pids+=($upstream_pid)
# `portcullis` execs java: its pid is the JVM's
if [ -n "${GATEWAY_JAR:-}" ]; then # another build of portcullis.jar (A/B against a baseline)
  JAVA_TOOL_OPTIONS="${GATEWAY_JAVA_OPTS:-}" "$java" --enable-native-access=ALL-UNNAMED -jar "$GATEWAY_JAR" \
    serve --config "$cache/gateway.yaml" > "$cache/gateway.log" 2>&1 &
else
  JAVA_TOOL_OPTIONS="${GATEWAY_JAVA_OPTS:-}" "$root/portcullis" serve --config "$cache/gateway.yaml" \
    > "$cache/gateway.log" 2>&1 &
fi
gateway_pid=$!
pids+=($gateway_pid)

wait_for() {
  for _ in $(seq 1 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$1/"; then return 0; fi
    sleep 0.2
  done
  echo "nothing listens on port $1; see $cache/*.log" >&2
  exit 1
}
wait_for "$upstream_port"
wait_for "$gateway_port"

mkdir -p "$root/bench/results"
out="$root/bench/results/mcp-gateway.log"
{
  echo "# bench/mcp/run.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git -C "$root" rev-parse --short HEAD 2>/dev/null || true)" \
    "nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)"
  "$java" -Dmcpload.gateway.pid="$gateway_pid" -Dmcpload.upstream.pid="$upstream_pid" \
    -cp "$root/bench/target/benchmarks.jar" dev.portcullis.bench.mcp.McpLoad \
    "http://127.0.0.1:$upstream_port/mcp" "http://127.0.0.1:$gateway_port/mcp" "$seconds" "$connections" "$warmup" \
    $([ "${AB:-0}" = 1 ] && echo ab)
  echo "decisions logged: $(sqlite3 "$cache/decisions.db" 'select count(*) from decision_log' 2>/dev/null || du -h "$cache/decisions.db" | cut -f1)"
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out"

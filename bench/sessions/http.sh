#!/usr/bin/env bash
# Session overhead over HTTP: the same AuthZEN evaluation (examples/agents: mailbot reads the
# finance document q3-forecast, an allow), without a session and in an agent session with a
# boundary (actions and datasets), against one `portcullis serve` (decision log on: SQLite,
# buffered, in a temporary directory). wrk on loopback, rounds alternating the two variants so that
# a change in the machine's speed touches both alike; the server on the first CPU, wrk on the rest.
# Prints each run (req/s, p50, p99, the server's CPU per request from /proc) and the medians, and
# checks that the session counted the allowed requests made in it (every one was allowed).
#
# This is the user-facing view of issue 5's target ("decisions with session checks vs without");
# SessionBenchmark (JMH) measures the decision path alone (docs/performance.md, Sessions).
#
# Usage: bench/sessions/http.sh        Environment: ROUNDS=3 DURATION=10s CONNECTIONS=32 WARMUP=20s
#        PORT=18187 JAVA_HOME (a JDK 21+, default temurin 25) BOUNDARY=0 (a session without one)
#        PORTCULLIS_JAVA_OPTS="..." (e.g. a JFR recording of the server)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
WARMUP="${WARMUP:-20s}"
PORT="${PORT:-18187}"
jar="$root/server/target/portcullis.jar"
command -v wrk >/dev/null || { echo "error: wrk is needed (apt-get install wrk)" >&2; exit 1; }
command -v jq >/dev/null || { echo "error: jq is needed (apt-get install jq)" >&2; exit 1; }
[[ -f "$jar" ]] || ./mvnw -q -B -pl server -am -DskipTests package
cpus=$(nproc)
server_cpus="0"
client_cpus="1-$((cpus - 1))"
[[ $cpus -gt 1 ]] || client_cpus="0"

work="$(mktemp -d)"
# the example as it is, except that an agent may also ask without a session (the comparison)
cp -R examples/agents "$work/agents"
sed -i 's/^sessions:.*/&\n  required_for_agents: false/' "$work/agents/portcullis.yaml"
PORTCULLIS_SERVER_PORT=$PORT PORTCULLIS_LOG_URL="sqlite:$work/agents.db" PORTCULLIS_POLICIES_WATCH=false \
    taskset -c "$server_cpus" "$java" --enable-native-access=ALL-UNNAMED ${PORTCULLIS_JAVA_OPTS:-} -jar "$jar" \
    serve --config "$work/agents/portcullis.yaml" >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
P="http://127.0.0.1:$PORT"
for _ in $(seq 1 600); do curl -sf "$P/health/ready" >/dev/null && break; sleep 0.2; done
curl -sf "$P/health/ready" >/dev/null || { echo "error: the server did not start; see $work/server.log" >&2; exit 1; }

boundary='{"actions": ["read", "send_email"], "datasets": ["finance"]}'
[[ "${BOUNDARY:-1}" == 1 ]] || boundary='null'
token=$("$java" -jar "$jar" dev-token --subject mailbot)
created=$(curl -sf -X POST "$P/v1/sessions" -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d "{\"purpose\": \"benchmark\", \"boundary\": $boundary, \"expires_in\": \"2h\"}")
session=$(jq -r .id <<<"$created")
st=$(jq -r .session_token <<<"$created")
body="$work/body.json"
echo '{"subject":{"type":"agent","id":"mailbot"},"action":{"name":"read"},"resource":{"type":"document","id":"q3-forecast"}}' >"$body"
for variant in none session; do
    h=()
    [[ $variant == session ]] && h=(-H "X-Portcullis-Session: $st")
    d=$(curl -s -X POST "$P/access/v1/evaluation" -H "Content-Type: application/json" \
        -H "X-API-Key: demo-gateway-key-0001" "${h[@]}" --data @"$body" | jq .decision)
    [[ $d == true ]] || { echo "error: the $variant request is not allowed ($d)" >&2; exit 1; }
done

count() { curl -s "$P/v1/sessions/$session" -H "X-API-Key: demo-admin-key-000001" | jq .action_count; }
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
tick=$(getconf CLK_TCK)
run() { # variant duration -> "req/s p50_ms p99_ms cpu_us_per_req requests"
    local token=""
    [[ $1 == session ]] && token="$st"
    local c0 c1 out
    c0=$(cpu)
    out=$(taskset -c "$client_cpus" wrk -t2 -c"$CONNECTIONS" -d"$2" --latency -s "$here/session.lua" \
        "$P/access/v1/evaluation" -- "$body" "$token")
    c1=$(cpu)
    local rps p50 p99 n
    rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
    n=$(awk '/requests in/{print $1}' <<<"$out")
    p50=$(awk '$1=="50%"{print $2}' <<<"$out")
    p99=$(awk '$1=="99%"{print $2}' <<<"$out")
    grep -q "Non-2xx" <<<"$out" && { echo "error: non-2xx answers in the $1 run" >&2; echo "$out" >&2; exit 1; }
    echo "$rps $(ms "$p50") $(ms "$p99") $(awk -v d=$((c1 - c0)) -v n="$n" -v t="$tick" 'BEGIN{printf "%.1f", d / t * 1e6 / n}') $n"
}
ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); printf "%.3f", v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); printf "%.3f", v} else {sub(/s$/,"",v); printf "%.3f", v*1000} }'; }

echo "# bench/sessions/http.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git rev-parse --short HEAD 2>/dev/null || true)" \
    "nproc=$cpus load=$(cut -d' ' -f1-3 /proc/loadavg) connections=$CONNECTIONS boundary=$boundary"
run none "$WARMUP" >/dev/null
run session "$WARMUP" >/dev/null
before=$(count)
in_session=0
printf '%-8s %6s %10s %8s %8s %12s\n' variant round req/s "p50 ms" "p99 ms" "cpu us/req"
declare -A all
for r in $(seq 1 "$ROUNDS"); do
    for variant in none session; do
        read -r rps p50 p99 c n <<<"$(run "$variant" "$DURATION")"
        printf '%-8s %6s %10s %8s %8s %12s\n' "$variant" "$r" "$rps" "$p50" "$p99" "$c"
        all[$variant]+="$rps $p50 $p99 $c;"
        [[ $variant == session ]] && in_session=$((in_session + n))
    done
done
after=$(count)
median() { tr ';' '\n' <<<"${all[$1]}" | awk -v k="$2" 'NF{print $k}' | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
echo
printf 'medians: none %s req/s, cpu %s us/req, p99 %s ms; session %s req/s, cpu %s us/req, p99 %s ms\n' \
    "$(median none 1)" "$(median none 4)" "$(median none 3)" "$(median session 1)" "$(median session 4)" "$(median session 3)"
awk -v a="$(median session 4)" -v b="$(median none 4)" -v x="$(median session 1)" -v y="$(median none 1)" \
    'BEGIN{printf "session overhead: CPU per request %+.1f %%, throughput %+.1f %%\n", (a/b-1)*100, (x/y-1)*100}'
# wrk counts the answers it read; requests in flight when a run ends are decided (and counted by
# the session) but not by wrk: at most one per connection and run (warm-up included)
extra=$((after - before - in_session))
echo "the session counted $((after - before)) actions for $in_session answers wrk read ($extra in flight at the ends of runs)"
[[ $extra -ge 0 && $extra -le $((CONNECTIONS * (ROUNDS + 1))) ]] \
    || { echo "error: the session's count does not match the requests made in it" >&2; exit 1; }

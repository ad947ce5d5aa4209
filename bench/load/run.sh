#!/usr/bin/env bash
# HTTP load benchmark: wrk on loopback against
#   portcullis  Portcullis /access/v1/evaluation serving examples/photoflash (decision log on,
#               buffered, SQLite in a temporary directory; authentication off: loopback only)
#   cerbos      Cerbos 0.55 (npm @cerbos/cerbos-linux-x64) with the same policies as a Cerbos
#               resource policy (cerbos/photo.yaml), answering AuthZEN at the same path
#   null        NullServer: the same Armeria stack, parses the JSON body, answers {"decision":true}
# at 1 and 32 connections with the request mix of requests.tsv. All servers run side by side (idle
# when not measured); check.py first sends every request once to each and aborts on an unexpected
# decision; each is warmed up; then ROUNDS rounds measure every target at every connection count in
# turn, so that a change in the machine's background load touches all targets alike. Prints a
# markdown table of the medians (summarize.py); everything stays in bench/load/results/<time>/.
#
# Usage: bench/load/run.sh [target ...]          (default: portcullis cerbos null)
# Environment:
#   ROUNDS=3 DURATION=10s CONNECTIONS="1 32"   measured runs (wrk, 2 threads; 1 for 1 connection)
#   RATES="1000 5000 10000"   then, at 32 connections, each target at each of these fixed request
#                rates for DURATION (RateLoad: open loop, latency counted from when each request was
#                due, as wrk2 does): the latency a caller sees at that load rather than at saturation;
#                RATES="" skips it
#   WARMUP=10s WARMUP_MAX=120   warm-up at 32 connections, in slices of WARMUP seconds, until the
#                               last two agree within 5 % (at least 3 slices, at most WARMUP_MAX s)
#   PIN          unset: measure both layouts below, one after the other (two result directories)
#                PIN=1 "pinned": servers on the first half of the CPUs, wrk on the rest (taskset);
#                      what a server's share of the CPUs buys: Portcullis's decision log writer
#                      competes with its event loops there, as it would on a fully loaded machine
#                PIN=0 "shared": no pinning; servers and wrk share every CPU, a plain loopback run;
#                      the writer runs beside the event loops when a CPU has room
#   JFR=1        record a JFR profile of Portcullis and of the null endpoint
#                (results/<time>/portcullis.jfr, null.jfr)
#   PORTCULLIS_JAVA_OPTS="..."   extra JVM options for Portcullis and the null server, after the
#                                launcher's defaults, which both get (-XX:MetaspaceSize=64m, and
#                                -XX:+UseSerialGC with at most 2 CPUs unless a collector is named)
#   JAVA_HOME    a JDK 21+ (default: /usr/lib/jvm/temurin-25-jdk-amd64)
#   REBUILD=1    rebuild the jars even when present
#   PORTCULLIS_JAR=path   measure another build of the server (e.g. a copy of an older one)
#   WRITER_CPUS=list      NOT the comparison the targets are about: after Portcullis starts, move
#                         its decision log writer thread to these CPUs (taskset), e.g. the client's
#                         (WRITER_CPUS=1 on 2 CPUs). Portcullis then uses more than the server's
#                         CPUs; use it only to see what the log costs the event loop, and say so.
# Besides the table, every measured run leaves <run>.threads: the server's CPU per request by
# thread (event loop, decision log writer and checkpointer, JIT compilers, GC), from /proc/PID/task/*/stat.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-10s}"
WARMUP_MAX="${WARMUP_MAX:-120}"
CONNECTIONS="${CONNECTIONS:-1 32}"
RATES="${RATES-1000 5000 10000}"
if [[ -z "${PIN:-}" ]]; then
    PIN=1 "$0" "$@"
    echo
    PIN=0 "$0" "$@"
    exit
fi
CERBOS_VERSION="0.55.x"
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(portcullis cerbos null)

die() {
    echo "error: $*" >&2
    exit 1
}

# --- tools ---------------------------------------------------------------------------------------
[[ -x "$java" ]] || die "no java at $java: set JAVA_HOME to a JDK 21 or newer"
command -v python3 >/dev/null || die "python3 is needed (check.py, summarize.py)"
if ! command -v wrk >/dev/null; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        echo "== installing wrk (apt-get install -y wrk)"
        apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    fi
    command -v wrk >/dev/null || die "wrk is not installed: \`sudo apt-get install wrk\` (Debian/Ubuntu) or build it from github.com/wg/wrk"
fi
cerbos="$here/.cache/node_modules/@cerbos/cerbos-linux-x64/cerbos-linux-x64"
if [[ " ${targets[*]} " == *" cerbos "* && ! -x "$cerbos" ]]; then
    command -v npm >/dev/null || die "npm is needed to fetch Cerbos (npm package @cerbos/cerbos-linux-x64)"
    echo "== installing Cerbos $CERBOS_VERSION into bench/load/.cache (npm)"
    npm install --silent --no-save --prefix "$here/.cache" "@cerbos/cerbos-linux-x64@$CERBOS_VERSION" >/dev/null
    [[ -x "$cerbos" ]] || die "npm did not install $cerbos"
fi

# --- jars ----------------------------------------------------------------------------------------
portcullis_jar="${PORTCULLIS_JAR:-$root/server/target/portcullis.jar}"
bench_jar="$root/bench/target/benchmarks.jar"
if [[ -n "${PORTCULLIS_JAR:-}" ]]; then
    [[ -f "$portcullis_jar" ]] || die "PORTCULLIS_JAR: no such file $portcullis_jar"
elif [[ "${REBUILD:-0}" == 1 || ! -f "$portcullis_jar" ]]; then
    echo "== building $portcullis_jar"
    ./mvnw -q -B -pl server -am -DskipTests package
fi
if [[ " ${targets[*]} " == *" null "* || -n "$RATES" ]]; then
    if [[ "${REBUILD:-0}" == 1 || ! -f "$bench_jar" ]] \
        || ! python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).getinfo(sys.argv[2])' \
            "$bench_jar" dev/portcullis/bench/load/RateLoad.class 2>/dev/null; then
        echo "== building $bench_jar"
        ./mvnw -q -B -pl bench -am -DskipTests package
    fi
fi

# --- cpus ----------------------------------------------------------------------------------------
ncpu="$(nproc)"
server_cpus=""
client_cpus=""
on_server=()
on_client=()
client_ncpu="$ncpu"
if [[ "$PIN" == 1 && "$ncpu" -ge 2 ]] && command -v taskset >/dev/null; then
    half=$((ncpu / 2))
    server_cpus="0"
    client_cpus="$half"
    [[ "$half" -gt 1 ]] && server_cpus="0-$((half - 1))"
    [[ "$((ncpu - half))" -gt 1 ]] && client_cpus="$half-$((ncpu - 1))"
    client_ncpu=$((ncpu - half))
    on_server=(taskset -c "$server_cpus")
    on_client=(taskset -c "$client_cpus")
fi

# --- run directory and clean-up ------------------------------------------------------------------
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$here/results/$stamp"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/portcullis-load.XXXXXX")"
mkdir -p "$out"
declare -A pids urls checks
stop() { # name
    local p="${pids[$1]:-}"
    if [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; then
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    fi
    pids[$1]=""
}
stop_all() {
    local t
    for t in "${!pids[@]}"; do stop "$t"; done
}
trap 'stop_all; rm -rf "$tmp"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_for() { # name url-or-log-text
    for _ in $(seq 1 180); do
        if [[ "$2" == http* ]]; then
            python3 -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$2" 2>/dev/null \
                && return 0
        elif grep -q "$2" "$out/$1.log" 2>/dev/null; then
            return 0
        fi
        kill -0 "${pids[$1]}" 2>/dev/null || die "$1 exited while starting (log: $out/$1.log)"
        sleep 0.5
    done
    die "$1 did not start within 90 s (log: $out/$1.log)"
}

{
    echo "date: $(date -u +%FT%TZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (modified)')"
    echo "cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $ncpu cpus"
    if [[ -n "$server_cpus" ]]; then
        echo "pinning: servers on cpus $server_cpus, wrk on cpus $client_cpus (taskset)"
    else
        echo "pinning: none"
    fi
    echo "java: $("$java" -version 2>&1 | head -1)"
    echo "wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
    [[ -x "$cerbos" ]] && echo "cerbos: $("$cerbos" --version 2>&1 | head -1)"
    echo "warm-up at 32 connections in ${WARMUP} slices (at most ${WARMUP_MAX} s); then $ROUNDS rounds of $DURATION at each of $CONNECTIONS connections"
    if [[ -n "$RATES" ]]; then
        echo "then $DURATION at each fixed rate of $RATES req/s at 32 connections (RateLoad, open loop)"
    fi
} | tee "$out/meta.txt"
# what the machine itself takes from a running thread, before any server starts (and again at the
# end): hiccups of a millisecond or more show in every server's p99, the null endpoint's too
hiccups() { "$java" "$here/Hiccups.java" 5 2>&1 | tee -a "$out/meta.txt" || echo "   (Hiccups.java failed, see above)"; }
hiccups

# --- targets -------------------------------------------------------------------------------------
# the JVM options ./portcullis gives the server, for Portcullis and the null endpoint alike
# (there: the serial collector with at most 2 CPUs unless PORTCULLIS_JAVA_OPTS, JAVA_TOOL_OPTIONS
# or JDK_JAVA_OPTIONS name a collector)
jvm_defaults="-XX:MetaspaceSize=64m"
gc_default="-XX:+UseSerialGC"
[[ "$(nproc 2>/dev/null || echo 4)" -le 2 ]] || gc_default=""
# shellcheck disable=SC2086
for opt in ${PORTCULLIS_JAVA_OPTS:-} ${JAVA_TOOL_OPTIONS:-} ${JDK_JAVA_OPTIONS:-}; do
    case "$opt" in -XX:+Use*GC) gc_default="" ;; esac # one option at a time, as ./portcullis does
done
jvm_defaults+="${gc_default:+ $gc_default}"
echo "server JVM options: $jvm_defaults ${PORTCULLIS_JAVA_OPTS:-}" | tee -a "$out/meta.txt"
start_portcullis() {
    local port jfr=()
    port="$(free_port)"
    [[ "${JFR:-0}" == 1 ]] && jfr=("-XX:StartFlightRecording=filename=$out/portcullis.jfr,settings=profile")
    # shellcheck disable=SC2086
    PORTCULLIS_SERVER_PORT="$port" PORTCULLIS_LOG_URL="sqlite:$tmp/decisions.db" PORTCULLIS_LOG_MODE=buffered \
        "${on_server[@]}" "$java" --enable-native-access=ALL-UNNAMED "${jfr[@]}" $jvm_defaults ${PORTCULLIS_JAVA_OPTS:-} \
        -jar "$portcullis_jar" serve --config examples/photoflash/portcullis.yaml >"$out/portcullis.log" 2>&1 &
    pids[portcullis]=$!
    urls[portcullis]="http://127.0.0.1:$port/access/v1/evaluation"
    checks[portcullis]=""
    wait_for portcullis "http://127.0.0.1:$port/health/ready"
    if [[ -n "${WRITER_CPUS:-}" ]]; then
        local tid
        for tid in $(grep -l '^decision-log-wr' /proc/"${pids[portcullis]}"/task/*/comm | cut -d/ -f5); do
            taskset -p -c "$WRITER_CPUS" "$tid" >/dev/null
        done
        echo "NOTE: the decision log writer of Portcullis runs on cpus $WRITER_CPUS (WRITER_CPUS): not the fair comparison" \
            | tee -a "$out/meta.txt"
    fi
}

start_cerbos() {
    local http grpc
    http="$(free_port)"
    grpc="$(free_port)"
    cat >"$tmp/cerbos.yaml" <<EOF
server:
  httpListenAddr: "127.0.0.1:$http"
  grpcListenAddr: "127.0.0.1:$grpc"
storage:
  driver: disk
  disk:
    directory: "$here/cerbos"
    watchForChanges: false
audit:
  enabled: false
telemetry:
  disabled: true
EOF
    "$cerbos" compile "$here/cerbos" >"$out/cerbos-compile.log" 2>&1 \
        || die "Cerbos does not accept bench/load/cerbos/ ($out/cerbos-compile.log)"
    CERBOS_NO_TELEMETRY=1 "${on_server[@]}" "$cerbos" server --config="$tmp/cerbos.yaml" --log-level=warn \
        >"$out/cerbos.log" 2>&1 &
    pids[cerbos]=$!
    urls[cerbos]="http://127.0.0.1:$http/access/v1/evaluation"
    checks[cerbos]=""
    wait_for cerbos "http://127.0.0.1:$http/_cerbos/health"
}

start_null() {
    local port jfr=()
    port="$(free_port)"
    [[ "${JFR:-0}" == 1 ]] && jfr=("-XX:StartFlightRecording=filename=$out/null.jfr,settings=profile")
    # shellcheck disable=SC2086
    "${on_server[@]}" "$java" --enable-native-access=ALL-UNNAMED "${jfr[@]}" $jvm_defaults ${PORTCULLIS_JAVA_OPTS:-} \
        -cp "$bench_jar" dev.portcullis.bench.load.NullServer "$port" >"$out/null.log" 2>&1 &
    pids[null]=$!
    urls[null]="http://127.0.0.1:$port/access/v1/evaluation"
    checks[null]="--constant"
    wait_for null listening # it has no GET endpoint: wait for its start message
}

# CPU time (user + system, all threads) a process has used so far, in clock ticks
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# CPU time per thread: "tid ticks name" lines (thread names as the kernel keeps them, 15 bytes)
thread_ticks() {
    local f
    for f in /proc/"$1"/task/*/stat; do
        sed -E 's/^([0-9]+) \((.*)\) [A-Za-z] (([^ ]+ ){10})([0-9]+) ([0-9]+) .*/\1 \5 \6 \2/' "$f" 2>/dev/null \
            | awk '{ t = $1; c = $2 + $3; $1 = $2 = $3 = ""; sub(/^ +/, ""); print t, c, $0 }' \
            || true # the thread ended meanwhile (the JVM starts and stops compiler threads)
    done
}

# the server's CPU per request by thread group, from two thread_ticks snapshots and wrk's output
thread_split() { # before after wrk-output
    python3 - "$@" <<'PY'
import os, re, sys, collections
def load(p):
    d = {}
    for line in open(p):
        tid, ticks, name = line.rstrip("\n").split(" ", 2)
        d[tid] = (name, int(ticks))
    return d
before, after = load(sys.argv[1]), load(sys.argv[2])
m = re.search(r"RESULT requests=(\d+)", open(sys.argv[3]).read())
if not m or int(m.group(1)) == 0:
    sys.exit(0)
groups = collections.Counter()
for tid, (name, ticks) in after.items():
    name = re.sub(r"\d+", "N", name)
    name = ("event loop" if name.startswith(("armeria-common", "armeria-eventlo")) else "decision log writer"
            if name.startswith("decision-log-wr") else "decision log checkpointer"
            if name.startswith("decision-log-ch") else "JIT compiler" if "CompilerThre" in name
            else "GC / VM" if name.startswith(("VM Thread", "GC ")) else name)
    groups[name] += ticks - before.get(tid, (name, 0))[1]
tick = os.sysconf("SC_CLK_TCK")
for name, t in groups.most_common():
    if t > 0:
        print(f"{name}: {t / tick * 1e6 / int(m.group(1)):.1f} us/req")
PY
}

run_wrk() { # name connections duration file
    local threads=2 before after
    [[ "$2" -lt 2 ]] && threads=1
    before="$(cpu_ticks "${pids[$1]}")"
    thread_ticks "${pids[$1]}" >"$4.before"
    local TIMEFORMAT="CLIENT_CPU user=%U system=%S elapsed=%R"
    { time "${on_client[@]}" wrk -t"$threads" -c"$2" -d"$3" --latency -s "$here/post.lua" "${urls[$1]}" \
        -- "$here/requests.tsv" >"$4"; } 2>"$4.time"
    after="$(cpu_ticks "${pids[$1]}")"
    thread_ticks "${pids[$1]}" >"$4.after"
    # the server's CPU time during the run (CPU per request), and wrk's (is the generator the limit?)
    echo "SERVER_CPU seconds=$(awk -v t="$(getconf CLK_TCK)" -v d="$((after - before))" 'BEGIN { print d / t }')" >>"$4"
    echo "$(cat "$4.time") cpus=$client_ncpu" >>"$4"
    rm -f "$4.time"
    thread_split "$4.before" "$4.after" "$4" >"${4%.txt}.threads"
    rm -f "$4.before" "$4.after"
}

# The JIT compiles on the server's cores too, so a server with more code (Portcullis) takes longer
# to reach its steady state: warm up in WARMUP slices at 32 connections until the last two slices
# agree within 5 % (at least three slices, at most WARMUP_MAX seconds).
warm_up() { # name
    local slice prev="" now total=0 n=0
    slice="${WARMUP%s}"
    while :; do
        n=$((n + 1))
        run_wrk "$1" 32 "${slice}s" "$out/$1-warmup-$n.txt"
        now="$(sed -n 's/^Requests\/sec: *//p' "$out/$1-warmup-$n.txt")"
        total=$((total + slice))
        if [[ "$n" -ge 3 ]] && awk -v a="$prev" -v b="$now" 'BEGIN { d = (a - b) / b; exit !(d < 0.05 && d > -0.05) }'; then
            break
        fi
        if [[ "$total" -ge "$WARMUP_MAX" ]]; then
            echo "   $1: still changing after ${total} s of warm-up ($prev, then $now req/s)" | tee -a "$out/meta.txt"
            break
        fi
        prev="$now"
    done
    echo "   $1: warm-up ${total} s, last slice $now req/s" | tee -a "$out/meta.txt"
}

for target in "${targets[@]}"; do
    case "$target" in
        portcullis | cerbos | null) ;;
        *) die "unknown target \`$target\` (portcullis, cerbos, null)" ;;
    esac
done
echo "== starting and checking: ${targets[*]}"
for target in "${targets[@]}"; do
    "start_$target"
    # shellcheck disable=SC2086
    python3 "$here/check.py" "$target" "${urls[$target]}" "$here/requests.tsv" ${checks[$target]} \
        || die "$target answered differently from the expected decisions: not measured"
done
echo "== warming up (load average $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/meta.txt"
for target in "${targets[@]}"; do
    warm_up "$target"
done
for round in $(seq 1 "$ROUNDS"); do
    echo "== round $round of $ROUNDS (load average $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/meta.txt"
    n=${#targets[@]}
    for c in $CONNECTIONS; do
        # each round starts with another target, so that none is always measured first
        for i in $(seq 0 $((n - 1))); do
            target="${targets[$(((i + round - 1) % n))]}"
            run_wrk "$target" "$c" "$DURATION" "$out/$target-c$c-r$round.txt"
            echo "   $target, $c connections: $(sed -n 's/^Requests\/sec: *//p' "$out/$target-c$c-r$round.txt") req/s" \
                "(server CPU by thread: $(paste -sd, "$out/$target-c$c-r$round.threads" | sed 's/,/, /g'))"
        done
    done
done
# Open loop at fixed rates: every target at the same offered load, latency from each request's due
# time (a target that cannot keep up shows it in its latency and its achieved rate)
case "$DURATION" in # wrk's duration (10s, 2m) in seconds for RateLoad
    *s) rate_seconds="${DURATION%s}" ;;
    *m) rate_seconds="$((${DURATION%m} * 60))" ;;
    *) rate_seconds="$DURATION" ;;
esac
for rate in $RATES; do
    echo "== fixed rate $rate req/s, 32 connections (load average $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/meta.txt"
    for target in "${targets[@]}"; do
        f="$out/$target-rate$rate.txt"
        "${on_client[@]}" "$java" -cp "$bench_jar" dev.portcullis.bench.load.RateLoad "${urls[$target]}" \
            "$here/requests.tsv" "$rate" "$rate_seconds" 32 3 >"$f" 2>&1 || true
        echo "   $target: $(grep -h '^RATE ' "$f" || tail -1 "$f")"
    done
done
if [[ -n "${pids[portcullis]:-}" ]]; then
    # stopping drains the log queue: every request answered above is then in the chain
    stop portcullis
    echo "== decision log: $("$java" --enable-native-access=ALL-UNNAMED -jar "$portcullis_jar" \
        audit verify --log "sqlite:$tmp/decisions.db" 2>/dev/null | tail -1)" | tee -a "$out/meta.txt"
fi
stop_all
hiccups

echo
python3 "$here/summarize.py" "$out" | tee "$out/summary.md"
{ echo; echo "Before and after the run, on the idle machine:"; grep '^host hiccups' "$out/meta.txt" || true; } \
    | tee -a "$out/summary.md"
echo
echo "results: ${out#"$root"/}"

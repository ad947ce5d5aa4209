#!/usr/bin/env python3
"""Turns the wrk runs of bench/load/run.sh into a markdown table, the ratios and the targets.

Usage: summarize.py RESULTS_DIR

Reads RESULTS_DIR/<target>-c<connections>-r<round>.txt for the targets portcullis, cerbos and
null: wrk's output with the `RESULT ...` line post.lua prints, and the `SERVER_CPU` and
`CLIENT_CPU` lines run.sh appends. Prints markdown: one row per target and connection count with
the median over the rounds of req/s (and the range), p50, p99, p99.9, the server's CPU time per
request over all its threads, and the share of its cores wrk used; then Portcullis / Cerbos and
Portcullis / null per connection count (ratios of the medians); then the issue's targets, each met
or missed; then, when RESULTS_DIR/<target>-rate<rate>.txt exist (RateLoad's `RATE ...` line), the
latencies at each fixed rate.
"""
import os
import re
import statistics
import sys

TARGETS = [("portcullis", "Portcullis"), ("cerbos", "Cerbos 0.55"), ("null", "null endpoint")]


def read(path):
    result = None
    cpu = None
    client = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("RESULT "):
                result = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", line)}
            elif line.startswith("SERVER_CPU "):
                cpu = float(line.split("seconds=")[1])
            elif line.startswith("CLIENT_CPU "):
                c = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", line)}
                if c.get("elapsed") and c.get("cpus"):
                    client = (c["user"] + c["system"]) / c["elapsed"] / c["cpus"]
    if result is None or result["requests"] == 0:
        return None
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(result[k] for k in ("non2xx", "connect_errors", "read_errors", "write_errors", "timeouts"))
    if cpu is not None:
        result["cpu_us"] = cpu * 1e6 / result["requests"]
    if client is not None:
        result["client_cpu"] = client
    return result


def ms(us):
    v = us / 1000.0
    return f"{v:.3f}" if v < 1 else f"{v:.2f}" if v < 100 else f"{v:.0f}"


def median(runs, key):
    values = [r[key] for r in runs if key in r]
    return statistics.median(values) if values else None


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = argv[1]
    runs = {}
    for f in sorted(os.listdir(out)):
        m = re.fullmatch(r"(\w+)-c(\d+)-r\d+\.txt", f)
        if m and m.group(1) in dict(TARGETS):
            r = read(os.path.join(out, f))
            if r:
                runs.setdefault((m.group(1), int(m.group(2))), []).append(r)
    if not runs:
        print(f"no wrk results in {out}", file=sys.stderr)
        return 1
    conns = sorted({c for _, c in runs})
    med = {k: {key: median(v, key) for key in ("rps", "p50", "p99", "p999", "cpu_us", "client_cpu")}
           for k, v in runs.items()}
    rounds = max(len(v) for v in runs.values())
    layout = "?"
    meta = os.path.join(out, "meta.txt")
    if os.path.exists(meta):
        for line in open(meta):
            if line.startswith("pinning: "):
                how = line[len("pinning: "):].strip()
                layout = "shared (no pinning)" if how == "none" else f"pinned ({how})"
    print(f"Layout: {layout}. Medians of {rounds} round{'s' if rounds != 1 else ''}; latencies in milliseconds.")
    print()
    print("| target | connections | req/s | req/s range | p50 | p99 | p99.9 | server CPU µs/req | wrk CPU | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, label in TARGETS:
        for c in conns:
            if (name, c) not in runs:
                continue
            m = med[(name, c)]
            rps = [r["rps"] for r in runs[(name, c)]]
            cpu = f"{m['cpu_us']:.0f}" if m["cpu_us"] is not None else "–"
            wrk = f"{100 * m['client_cpu']:.0f} %" if m["client_cpu"] is not None else "–"
            errors = int(sum(r["errors"] for r in runs[(name, c)]))
            print(f"| {label} | {c} | {m['rps']:,.0f} | {min(rps):,.0f}–{max(rps):,.0f} | {ms(m['p50'])} "
                  f"| {ms(m['p99'])} | {ms(m['p999'])} | {cpu} | {wrk} | {errors} |")
    print()

    def ratio(a, b, key, c):
        x = med.get((a, c), {}).get(key)
        y = med.get((b, c), {}).get(key)
        return x / y if x and y else None

    print("| connections | Portcullis / Cerbos (req/s) | Portcullis / null (req/s) "
          "| Cerbos / Portcullis (CPU per request) |")
    print("|---:|---:|---:|---:|")
    for c in conns:
        a = ratio("portcullis", "cerbos", "rps", c)
        b = ratio("portcullis", "null", "rps", c)
        d = ratio("cerbos", "portcullis", "cpu_us", c)
        print(f"| {c} | {f'{a:.2f}×' if a else '–'} | {f'{100 * b:.0f} %' if b else '–'} "
              f"| {f'{d:.2f}×' if d else '–'} |")
    print()
    top = max(conns)
    checks = []
    v = ratio("portcullis", "cerbos", "rps", top)
    if v:
        checks.append((f"≥ 5× Cerbos's req/s ({top} connections)", f"{v:.2f}×", v >= 5))
    v = ratio("portcullis", "null", "rps", top)
    if v:
        checks.append((f"≥ 70 % of the null endpoint's req/s ({top} connections)", f"{100 * v:.0f} %", v >= 0.7))
    if ("portcullis", top) in med:
        v = med[("portcullis", top)]["p99"] / 1000.0
        checks.append((f"p99 ≤ 5 ms at {top} connections", f"{v:.2f} ms", v <= 5))
    print("| target | this run | |")
    print("|---|---:|---|")
    for what, value, ok in checks:
        print(f"| {what} | {value} | {'met' if ok else 'missed'} |")
    if ("portcullis", top) in med and ("null", top) in med:
        # the floor the host sets: the same stack answering without deciding or logging
        v = med[("null", top)]["p99"] / 1000.0
        print()
        print(f"The null endpoint's own p99 at {top} connections: {v:.2f} ms"
              + (" (above 5 ms: during this run the host missed the p99 target even for an empty endpoint)."
                 if v > 5 else "."))
    fixed_rates(out)
    return 0


def fixed_rates(out):
    """The RateLoad runs: one row per rate and target, in milliseconds from each request's due time."""
    rows = {}
    for f in os.listdir(out):
        m = re.fullmatch(r"(\w+)-rate(\d+)\.txt", f)
        if not m or m.group(1) not in dict(TARGETS):
            continue
        text = open(os.path.join(out, f), encoding="utf-8").read()
        line = next((l for l in text.splitlines() if l.startswith("RATE ")), None)
        rows[(int(m.group(2)), m.group(1))] = (
            {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", line)} if line else None)
    if not rows:
        return
    print()
    print("Fixed rate, open loop (RateLoad, 32 connections): latency from when each request was due, in "
          "milliseconds; a target that cannot keep up answers fewer requests per second than offered.")
    print()
    print("| rate (req/s) | target | answered req/s | p50 | p90 | p99 | p99.9 | max | errors |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for rate in sorted({r for r, _ in rows}):
        for name, label in TARGETS:
            if (rate, name) not in rows:
                continue
            r = rows[(rate, name)]
            if r is None:
                print(f"| {rate:,} | {label} | failed (see {name}-rate{rate}.txt) | | | | | | |")
                continue
            behind = " (behind)" if r["achieved"] < 0.95 * rate else ""
            print(f"| {rate:,} | {label} | {r['achieved']:,.0f}{behind} | {ms(r['p50_us'])} | {ms(r['p90_us'])} "
                  f"| {ms(r['p99_us'])} | {ms(r['p999_us'])} | {ms(r['max_us'])} | {int(r['errors'])} |")


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Turns the JMH JSON results in bench/results/ into the Markdown tables of docs/performance.md.

Usage: bench/summarize.py [results-dir]   (default: bench/results next to this script)

Times are per decision, in microseconds. "mean" is JMH's AverageTime score, "p50"/"p99" come from
the SampleTime histogram. Ratios are cedar-java / portcullis (speed-up) and size / 10 (growth).
"""
import json
import os
import sys


def load(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return json.load(f)


def index(results, param):
    """(method, param value) -> {"mean": us, "p50": us, "p99": us}"""
    out = {}
    for r in results:
        method = r["benchmark"].rsplit(".", 1)[1]
        key = (method, r["params"][param])
        unit = r["primaryMetric"]["scoreUnit"]
        scale = {"ns/op": 1e-3, "us/op": 1.0, "ms/op": 1e3}[unit]
        row = out.setdefault(key, {})
        if r["mode"] == "avgt":
            row["mean"] = r["primaryMetric"]["score"] * scale
            row["mean_err"] = r["primaryMetric"]["scoreError"] * scale
        elif r["mode"] == "sample":
            pct = r["primaryMetric"]["scorePercentiles"]
            row["p50"] = pct["50.0"] * scale
            row["p99"] = pct["99.0"] * scale
    return out


def fmt(x):
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.3f}"


def ratio(a, b):
    return f"{a / b:,.0f}×" if a is not None and b else "–"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "results")

    oopsla = index(load(os.path.join(d, "oopsla.json")), "workload")
    if oopsla:
        print("| workload | portcullis mean µs | portcullis p50 µs | portcullis p99 µs "
              "| cedar-java mean µs | cedar-java p50 µs | speed-up (mean) | speed-up (p50) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for w in sorted({k[1] for k in oopsla}):
            o = oopsla.get(("portcullis", w), {})
            c = oopsla.get(("cedarJava", w), {})
            print(f"| {w} | {fmt(o.get('mean'))} | {fmt(o.get('p50'))} | {fmt(o.get('p99'))} "
                  f"| {fmt(c.get('mean'))} | {fmt(c.get('p50'))} "
                  f"| {ratio(c.get('mean'), o.get('mean'))} | {ratio(c.get('p50'), o.get('p50'))} |")
        print()

    scaling = index(load(os.path.join(d, "scaling.json")), "policies")
    if scaling:
        print("| policies | portcullis mean µs | portcullis p50 µs | × (mean) vs 10 | × (p50) vs 10 "
              "| cedar-java mean µs | cedar-java p50 µs |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        base = scaling.get(("portcullis", "10"), {})
        for n in sorted({k[1] for k in scaling}, key=int):
            o = scaling.get(("portcullis", n), {})
            c = scaling.get(("cedarJava", n), {})
            grow_mean = f"{o['mean'] / base['mean']:.2f}" if "mean" in o and "mean" in base else "–"
            grow_p50 = f"{o['p50'] / base['p50']:.2f}" if "p50" in o and "p50" in base else "–"
            print(f"| {int(n):,} | {fmt(o.get('mean'))} | {fmt(o.get('p50'))} | {grow_mean} | {grow_p50} "
                  f"| {fmt(c.get('mean'))} | {fmt(c.get('p50'))} |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Sends each request of requests.tsv once and checks the answer before anything is measured.

Usage: check.py NAME URL REQUESTS.TSV [--constant]

Every line of REQUESTS.TSV is `allow` or `deny`, a tab, and an AuthZEN evaluation body. The target
must answer HTTP 200 with `"decision"` true for `allow` and false for `deny`; with --constant (the
null endpoint) it must answer 200 `{"decision": true}` to every request. Prints one line per
request and exits 1 on the first mismatch, so that a target deciding differently is never measured.
"""
import json
import sys
import urllib.request


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    name, url, path = argv[1], argv[2], argv[3]
    constant = "--constant" in argv[4:]
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    for n, line in enumerate(lines, 1):
        expect, _, body = line.partition("\t")
        if expect not in ("allow", "deny") or not body:
            print(f"{path}:{n}: expected `allow` or `deny`, a tab and a json body", file=sys.stderr)
            return 2
        req = urllib.request.Request(
            url, data=body.encode(), headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                status, answer = resp.status, json.load(resp)
        except Exception as e:  # an HTTP error or a refused connection is a mismatch too
            print(f"{name}: request {n} failed: {e}", file=sys.stderr)
            return 1
        got = answer.get("decision") if isinstance(answer, dict) else None
        want = True if constant else expect == "allow"
        subject = json.loads(body)
        what = (f"{subject['subject']['id']} {subject['action']['name']} "
                f"{subject['resource']['type']}:{subject['resource']['id']}")
        if status != 200 or got is not want:
            print(f"{name}: MISMATCH on request {n} ({what}): expected {want}, "
                  f"got HTTP {status} {json.dumps(answer)}", file=sys.stderr)
            return 1
        print(f"  {name}: {what} -> {str(got).lower()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

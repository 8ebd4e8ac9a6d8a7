#!/usr/bin/env python3
"""Merges results folders' summary-fragment.json into benchmarks/results/latest/summary.json, and rewrites the
current-figures table of docs/performance.md from it.

    benchmarks/merge-summary.py [<results folder> ...]     (no folder: only the table is rewritten)

summary.json is one object: each key a metric name, each value {"value", "baseline", "ratio", "unit", "date"}
(baseline and ratio null where there is none), optionally "what", "baseline_what", "results" and "goal". A
fragment has the same shape; its keys replace the same keys of summary.json, other keys stay. The table sits
in docs/performance.md between the lines <!-- summary:begin --> and <!-- summary:end -->.
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUMMARY = os.path.join(ROOT, "benchmarks", "results", "latest", "summary.json")
DOC = os.path.join(ROOT, "docs", "performance.md")
REQUIRED = ("value", "baseline", "ratio", "unit", "date")
ALLOWED = set(REQUIRED) | {"what", "baseline_what", "results", "goal"}
KEY = re.compile(r"^[a-z][a-z0-9_]*$")
BEGIN, END = "<!-- summary:begin -->", "<!-- summary:end -->"


def check(source, metrics):
    """Refuses (one line, naming the key and field) anything that is not the summary's shape."""
    if not isinstance(metrics, dict):
        sys.exit(f"{source}: not a JSON object of metrics")
    for key, entry in metrics.items():
        if not KEY.match(key):
            sys.exit(f"{source}: key '{key}' is not a snake_case metric name")
        if not isinstance(entry, dict):
            sys.exit(f"{source}: {key} is not an object with value, baseline, ratio, unit, date")
        missing = [f for f in REQUIRED if f not in entry]
        if missing:
            sys.exit(f"{source}: {key} lacks {', '.join(missing)}")
        extra = sorted(set(entry) - ALLOWED)
        if extra:
            sys.exit(f"{source}: {key} has {', '.join(extra)}; allowed: {', '.join(sorted(ALLOWED))} (prose goes in docs/performance.md)")
        if not isinstance(entry["value"], (int, float)):
            sys.exit(f"{source}: {key}.value is not a number")
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", str(entry["date"])):
            sys.exit(f"{source}: {key}.date is not YYYY-MM-DD")


def number(x):
    if x is None:
        return ""
    if isinstance(x, float) and not x.is_integer():
        return f"{x:,.3g}" if abs(x) < 10 else f"{x:,.1f}".rstrip("0").rstrip(".")
    return f"{int(x):,}"


def table(summary):
    lines = ["| key | what | value | baseline (same run) | ratio | goal | date | results |", "|---|---|---|---|---|---|---|---|"]
    for key in sorted(summary):
        e = summary[key]
        unit = e["unit"]
        baseline = "" if e["baseline"] is None else f"{number(e['baseline'])} {unit}" + (f", {e['baseline_what']}" if e.get("baseline_what") else "")
        results = e.get("results", "")
        link = f"[{os.path.basename(results)}](../{results})" if results else ""
        cells = [f"`{key}`", e.get("what", ""), f"{number(e['value'])} {unit}", baseline,
                 "" if e["ratio"] is None else str(e["ratio"]), e.get("goal", ""), e["date"], link]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def main(folders):
    summary = json.load(open(SUMMARY)) if os.path.exists(SUMMARY) else {}
    check(SUMMARY, summary)
    for folder in folders:
        fragment_path = os.path.join(folder, "summary-fragment.json")
        if not os.path.exists(fragment_path):
            continue
        fragment = json.load(open(fragment_path))
        check(fragment_path, fragment)
        summary.update(fragment)
        print(f"merged {len(fragment)} metrics from {fragment_path}: {', '.join(sorted(fragment))}")
    os.makedirs(os.path.dirname(SUMMARY), exist_ok=True)
    with open(SUMMARY, "w") as f:
        json.dump(dict(sorted(summary.items())), f, indent=2, ensure_ascii=False)
        f.write("\n")
    doc = open(DOC).read()
    if BEGIN in doc and END in doc:
        head, rest = doc.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        open(DOC, "w").write(head + BEGIN + "\n" + table(summary) + "\n" + END + tail)


if __name__ == "__main__":
    main(sys.argv[1:])

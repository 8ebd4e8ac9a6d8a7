#!/usr/bin/env python3
"""Markdown table of the fleet benchmark's results (fleet-<size>[tag].json in a results directory), each figure
beside its baseline: JMH placement of the same run (jmh-placement.json, when there), the autoscaler's evaluation
interval, the reconcile interval, the targets. Usage: fleet-summary.py <results dir> [tag]"""
import glob, json, os, re, sys

out = sys.argv[1]
tag = sys.argv[2] if len(sys.argv) > 2 else ""
files = sorted(glob.glob(os.path.join(out, f"fleet-*{tag}.json")),
               key=lambda p: int(re.search(r"fleet-(\d+)", p).group(1)))
files = [f for f in files if re.fullmatch(rf"fleet-\d+{re.escape(tag)}\.json", os.path.basename(f))]
if not files:
    sys.exit(0)
jmh = {}
jmh_path = os.path.join(out, "jmh-placement.json")
if os.path.exists(jmh_path):
    for b in json.load(open(jmh_path)):
        if b["mode"] == "thrpt" and b["benchmark"].endswith(".placement"):
            jmh[int(b["params"]["vms"])] = b["primaryMetric"]["score"] * 1000

INTERVAL = 1000  # ms: autoscaler intervalMillis and controller reconcileIntervalMillis, as shipped


def ratio(a, b):
    return f"{a / b:.2f}" if b else "n/a"


rows = []
for f in files:
    r = json.load(open(f))
    if "steady" not in r:
        rows.append((r["vms"], None, r))
        continue
    rows.append((r["vms"], r, r))

lines = ["## Fleet: the controller distribution against hollow agents (simulated VMs, real agent protocol over 127.0.0.1)", "",
         "Each VM is a simulated agent (tools/hollow-agents) that registers, long-polls its desired state and reports every "
         "desired process RUNNING with synthetic metrics; subscriptions of 1,000 processes, 30 per VM; every subscription "
         "has an autoscale policy the synthetic CPU sits on (evaluated every pass, no decisions). Desired-state latency: from "
         "the client sending the REST request that changes a VM's desired state to the simulated agent having parsed the "
         "long-poll answer with the new revision (same host, same clock).", ""]
header = "| what | " + " | ".join(f"{v:,} VMs, {r['processes'] if r else s.get('processes', 0):,} processes" for v, r, s in rows) + " | baseline (same run) |"
lines += [header, "|---" * (len(rows) + 2) + "|"]


def row(label, fn, baseline=""):
    cells = []
    for v, r, s in rows:
        try:
            cells.append(fn(v, r) if r else "failed")
        except (KeyError, TypeError, ZeroDivisionError):
            cells.append("n/a")
    lines.append(f"| {label} | " + " | ".join(cells) + f" | {baseline} |")


row("VMs registered and READY", lambda v, r: f"{r['vmsReadyMillis'] / 1000:.1f} s ({r['vmsReadyPerSecond']:.0f}/s)")
row("placement end to end: subscribe calls to all RUNNING (processes/s)",
    lambda v, r: f"{r['placementEndToEndPerSecond']:,.0f}/s ({r['allRunningMillis'] / 1000:.0f} s)"
                 + (f"; ratio to JMH {ratio(r['placementEndToEndPerSecond'], jmh[v])}" if v in jmh else ""),
    "JMH placement decisions/s: " + ", ".join(f"{k:,} VMs {jmh[k]:,.0f}/s" for k in sorted(jmh)) + "; target 3,750/s" if jmh else "target 3,750/s")
row("placed per second inside the subscribe calls", lambda v, r: f"{r['placedPerSecondInSubscribeCalls']:,.0f}/s")
row("placed (to RUNNING) per controller CPU-second", lambda v, r: f"{r['placedPerControllerCpuSecond']:,.0f} ({r['placementControllerCpuSeconds']:.0f} CPU-s; load {r['placementLoadBefore'].split()[0]} -> {r['placementLoadAfter'].split()[0]})",
    "2 cores: x2 if the controller had the machine")
row("desired-state latency, one change (p50 / p99 ms)",
    lambda v, r: f"{r['singleChangeLatencyMillis']['p50']} / {r['singleChangeLatencyMillis']['p99']} (n={r['singleChangeLatencyMillis']['n']}); p99/target {ratio(r['singleChangeLatencyMillis']['p99'], 1000)}",
    f"target p99 1,000 ms = reconcile interval {INTERVAL} ms")
row("desired-state latency, one change to 1,000 VMs (p50 / p99 ms over agents)",
    lambda v, r: f"{r['fanOutLatencyMillis']['p50']} / {r['fanOutLatencyMillis']['p99']} ({r['fanOutLatencyMillis']['vmsChanged']} VMs; the subscribe call itself {r['fanOutLatencyMillis']['subscribeRequestMillis']} ms)",
    "target p99 1,000 ms")
row("controller heap after full GC, steady", lambda v, r: f"{r['steady']['heapAfterGcMiB']:,.0f} MiB (idle {r['controllerIdle']['heapAfterGcMiB']:.0f}); /4 GiB {ratio(r['steady']['heapAfterGcMiB'], 4096)}",
    "target < 4,096 MiB")
row("controller CPU, steady (% of one core)", lambda v, r: f"{r['steady']['cpuPercentOfOneCore']}% (idle {r['controllerIdle']['cpuPercentOfOneCore']}%)")
row("status reports/s handled, steady", lambda v, r: f"{r['steady']['statusReportsPerSecond']:,.0f}/s")
row("autoscaler pass, sampled each second (p50 / p99 / max ms)", lambda v, r: f"{r['steady']['autoscalerPassMillis']['p50']} / {r['steady']['autoscalerPassMillis']['p99']} / {r['steady']['autoscalerPassMillis']['maxMillis']:.0f}; p50/interval {ratio(r['steady']['autoscalerPassMillis']['p50'], INTERVAL)}, p99/interval {ratio(r['steady']['autoscalerPassMillis']['p99'], INTERVAL)}",
    f"evaluation interval {INTERVAL} ms")
row("controller threads, steady", lambda v, r: f"{r['steady']['threads']}")
row("simulator errors (last)", lambda v, r: f"{r['simulatorErrors']}" + (f" ({r['simulatorLastError'][:80]})" if r['simulatorErrors'] else ""))
row("load average before / after", lambda v, r: f"{r['loadBefore']} / {r['loadAfter']}")
row("controller JVM", lambda v, r: r["controllerJavaOptions"])
print("\n".join(lines))

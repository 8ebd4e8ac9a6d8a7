#!/usr/bin/env bash
# Runs every benchmark and writes dated results (JSON and a Markdown summary) under benchmarks/results/.
# Each figure sits beside a baseline measured in the same run, printed as a ratio.
#   benchmarks/run.sh            all
#   QUICK=1 benchmarks/run.sh    fewer iterations (a smoke run)
#   DENSITY=1                    also: idle static-httpd processes per VM, agent vs plain lxc-start (minutes;
#                                QUICK=1 keeps it to 10 and 25 processes; see benchmarks/density.sh for its limits)
#   AGENT_STARTS=1               also: starts through the agent's reconciler beside plain lxc-start of the same config,
#                                one at a time and in a step of 200, and 2,000 idle processes held (agent-starts.sh)
#   BOOT_LEVERS=1                also: agent boot time and RSS under JVM and packaging levers (agent-boot-levers.sh)
#   AGENT_RSS=1                  also: idle RSS of local VMs' agents as the local adapter launches them, beside the
#                                same distribution alone and its bare framework (agent-rss.sh; controller distribution)
#   VM_NETWORK=1                 also: a namespaced local VM beside network = host, boot and routing (vm-network.sh)
#   ROUTER_NGINX=1               also: the router beside nginx in front of the same 3 static-httpd processes, wrk at
#                                1, 16 and 128 connections (router-nginx.sh; installs Debian's nginx-light when missing)
#   SCALE_FROM_ZERO=1            also: a cold request into a subscription at zero beside warm ones (ScaleFromZeroBenchmark)
#   FAILOVER=1                   also: kill -9 of the active controller to the standby's first accepted write, beside
#                                one controller's restart (FailoverBenchmark; two controllers on the tests' PostgreSQL)
#   CONTROLLER_BOOT=1            also: controller boot to the first REST answer and idle RSS with one partition, beside a
#                                bare Karaf with CXF (controller-boot.sh; MAVEN_REPO: the Maven repository with the Karaf tarball)
#   FLEET_SIZES="1000 10000"     the fleet benchmark's sizes (simulated VMs; QUICK=1: 1000); FLEET_SIZES=none skips it
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
if [ -z "${JAVA_HOME:-}" ]; then
  for d in /usr/lib/jvm/java-17-openjdk-*; do [ -x "$d/bin/java" ] && export JAVA_HOME="$d" && break; done
fi
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
OUT="$ROOT/benchmarks/results/$STAMP-$(hostname -s)"
mkdir -p "$OUT"
say() { printf '[bench] %s\n' "$*"; }

say "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(. /etc/os-release; echo "$PRETTY_NAME"), $(uname -r)"
{
  echo "date: $STAMP"
  echo "cores: $(nproc)"
  echo "memory: $(free -m | awk '/Mem:/{print $2}') MiB"
  echo "os: $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"

"$ROOT/scripts/host-setup.sh" --bench >/dev/null
"$ROOT/cartridges/static-httpd/build.sh" >/dev/null
IMAGE=$(ls "$ROOT"/cartridges/static-httpd/target/static-httpd-*.tar.gz | head -n1)
say "building (mvn install -DskipTests)"
mvn -B -q -Dstyle.color=never install -DskipTests

# 1. Placement (JMH): decisions per second and the latency distribution, 1,000 and 10,000 VMs x 30 processes.
say "JMH: placement"
JMH_ARGS=()
[ -n "${QUICK:-}" ] && JMH_ARGS=(-wi 1 -i 2 -w 1 -r 1)
CP="$ROOT/benchmarks/jmh/target/stratos-benchmarks-jmh-0.1.0-SNAPSHOT.jar:$(cat "$ROOT/benchmarks/jmh/target/classpath.txt")"
"$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main PlacementBenchmark "${JMH_ARGS[@]}" \
  -rf json -rff "$OUT/jmh-placement.json" > "$OUT/jmh-placement.txt"

# 2. Process start to first HTTP 200 (warm image), through the agent vs raw lxc-start / docker run.
say "agent start latency vs raw lxc-start and docker run"
RUNS=15; [ -n "${QUICK:-}" ] && RUNS=5
mvn -B -q -Dstyle.color=never -o test-compile surefire:test -pl bundles/agent-docker -Dtest=StartLatencyBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=false \
  -DargLine="-Dstratos.benchmark.out=$OUT/start-latency.json -Dstratos.benchmark.image=$IMAGE -Dstratos.benchmark.runs=$RUNS" \
  > "$OUT/start-latency.log" 2>&1 || { say "start latency benchmark failed: see $OUT/start-latency.log"; exit 1; }

# 3. Agent distribution: cold boot to "agent ready" and idle RSS, beside a bare Karaf framework of the same version.
say "agent distribution boot time and RSS"
"$ROOT/benchmarks/agent-boot.sh" "$ROOT/agent-distribution/target/stratos-lxc-agent-0.1.0-SNAPSHOT.tar.gz" "$OUT/agent-boot.json"

# 4. Autoscaler: from a load step to the decision and to the new process serving, beside the evaluation
#    interval; reversals under a square-wave load with and without a stabilisation window; a plot.
say "autoscaler reaction time and square wave (controller distribution, LXC, router, load generator)"
mvn -B -q -Dstyle.color=never -o -pl itests verify -Dit.test=AutoscalerReactionBenchmark -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dstratos.benchmark.out="$OUT" -Dstratos.benchmark.quick="${QUICK:-}" \
  > "$OUT/autoscaler.log" 2>&1 || { say "autoscaler benchmark failed: see $OUT/autoscaler.log"; exit 1; }
gnuplot -e "dir='$OUT'" "$ROOT/benchmarks/autoscaler-plot.gp"

# 5. Optional: density (how many idle processes fit one VM, and what each costs), beside plain lxc-start.
if [ -n "${DENSITY:-}" ]; then
  say "density: idle static-httpd processes on one VM, agent vs plain lxc-start"
  "$ROOT/benchmarks/density.sh" "$ROOT/karaf-assembly/target/stratos-lxc-controller-0.1.0-SNAPSHOT.tar.gz" "$OUT" \
    > "$OUT/density.log" 2>&1 || { say "density benchmark failed: see $OUT/density.log"; exit 1; }
fi

# 5b. Optional: starts through the agent beside plain lxc-start of the same container config; 2,000 processes held.
if [ -n "${AGENT_STARTS:-}" ]; then
  say "agent starts (single, step of 200) and 2,000 processes held"
  DENSITY_PROCESSES=$([ -n "${QUICK:-}" ] && echo 200 || echo 2000) HOLD_SECONDS=$([ -n "${QUICK:-}" ] && echo 30 || echo 180) \
    "$ROOT/benchmarks/agent-starts.sh" "$OUT/agent-starts" > "$OUT/agent-starts.log" 2>&1 \
    || { say "agent starts benchmark failed: see $OUT/agent-starts.log"; exit 1; }
fi

# 6. Optional: agent boot levers (JVM options, CDS, without the shell), round-robin against the shipped distribution.
if [ -n "${BOOT_LEVERS:-}" ]; then
  say "agent boot levers"
  RUNS=$([ -n "${QUICK:-}" ] && echo 2 || echo 5) "$ROOT/benchmarks/agent-boot-levers.sh" \
    "$ROOT/agent-distribution/target/stratos-lxc-agent-0.1.0-SNAPSHOT.tar.gz" "$OUT" > "$OUT/agent-boot-levers.log" 2>&1 \
    || { say "agent boot levers failed: see $OUT/agent-boot-levers.log"; exit 1; }
fi

# 6a. Optional: idle agent RSS as the local adapter launches it, beside the agent alone and the bare framework.
if [ -n "${AGENT_RSS:-}" ]; then
  say "agent idle RSS as launched by the local adapter"
  AGENT_RSS_IDLE=$([ -n "${QUICK:-}" ] && echo 10 || echo 30) "$ROOT/benchmarks/agent-rss.sh" \
    "$ROOT/karaf-assembly/target/stratos-lxc-controller-0.1.0-SNAPSHOT.tar.gz" "$OUT/agent-rss.json" > "$OUT/agent-rss.log" 2>&1 \
    || { say "agent RSS benchmark failed: see $OUT/agent-rss.log"; exit 1; }
fi

# 6b. Optional: a namespaced local VM beside network = host: boot time and routing latency (needs root and wrk).
if [ -n "${VM_NETWORK:-}" ]; then
  say "VM network: namespaced local VM vs network = host"
  VM_NET_ROUNDS=$([ -n "${QUICK:-}" ] && echo 1 || echo 2) "$ROOT/benchmarks/vm-network.sh" \
    "$ROOT/karaf-assembly/target/stratos-lxc-controller-0.1.0-SNAPSHOT.tar.gz" "$OUT/vm-network.json" \
    > "$OUT/vm-network.log" 2>&1 || { say "VM network benchmark failed: see $OUT/vm-network.log"; exit 1; }
fi

# 6c. Optional: the router beside nginx as a reverse proxy to the same backends (needs root and wrk).
if [ -n "${ROUTER_NGINX:-}" ]; then
  say "router beside nginx, same 3 backends"
  RN_ROUNDS=$([ -n "${QUICK:-}" ] && echo 1 || echo 2) "$ROOT/benchmarks/router-nginx.sh" \
    "$ROOT/karaf-assembly/target/stratos-lxc-controller-0.1.0-SNAPSHOT.tar.gz" "$OUT/router-nginx" > "$OUT/router-nginx.log" 2>&1 \
    || { say "router/nginx benchmark failed: see $OUT/router-nginx.log"; exit 1; }
fi

# 6d. Optional: scale from zero, a cold request beside warm ones (controller distribution, LXC, router).
if [ -n "${SCALE_FROM_ZERO:-}" ]; then
  say "scale from zero: cold request beside warm"
  mvn -B -q -Dstyle.color=never -o -pl itests verify -Dit.test=ScaleFromZeroBenchmark -Dtest=none \
    -Dsurefire.failIfNoSpecifiedTests=false -Dstratos.benchmark.out="$OUT" -Dstratos.benchmark.quick="${QUICK:-}" \
    > "$OUT/scale-from-zero.log" 2>&1 || { say "scale-from-zero benchmark failed: see $OUT/scale-from-zero.log"; exit 1; }
fi

# 6e. Optional: fail-over between two controllers on PostgreSQL, beside one controller's restart.
if [ -n "${FAILOVER:-}" ]; then
  say "fail-over: kill -9 of the active controller to the standby's first accepted write"
  "$ROOT/scripts/host-setup.sh" --postgres >/dev/null
  STRATOS_TEST_POSTGRES_URL=${STRATOS_TEST_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:15432/stratos_test} \
  mvn -B -q -Dstyle.color=never -o -pl itests verify -Dit.test=FailoverBenchmark -Dtest=none \
    -Dsurefire.failIfNoSpecifiedTests=false -Dstratos.benchmark.out="$OUT" -Dstratos.benchmark.quick="${QUICK:-}" \
    > "$OUT/failover.log" 2>&1 || { say "fail-over benchmark failed: see $OUT/failover.log"; exit 1; }
fi

# 6f. Optional: controller boot and idle RSS beside a bare Karaf of the same version with CXF.
if [ -n "${CONTROLLER_BOOT:-}" ]; then
  say "controller boot and idle RSS beside bare Karaf + CXF"
  "$ROOT/benchmarks/controller-boot.sh" "$ROOT/karaf-assembly/target/stratos-lxc-controller-0.1.0-SNAPSHOT.tar.gz" "$OUT" \
    > "$OUT/controller-boot.log" 2>&1 || { say "controller boot benchmark failed: see $OUT/controller-boot.log"; exit 1; }
fi

# 7. Store: upload and download of real cartridge images over the REST API on 127.0.0.1, beside cp of the same file.
say "store upload/download vs cp"
"$ROOT/benchmarks/store.sh" "$ROOT/karaf-assembly/target/stratos-lxc-controller-0.1.0-SNAPSHOT.tar.gz" "$OUT" \
  > "$OUT/store.log" 2>&1 || { say "store benchmark failed: see $OUT/store.log"; exit 1; }

# 8. Fleet: the controller distribution against 1,000 and 10,000 hollow agents (simulated VMs, real protocol),
#    30 processes per VM: placement end to end, desired-state latency, heap, CPU, autoscaler pass time.
if [ "${FLEET_SIZES:-}" != none ]; then
  say "fleet: hollow agents against the controller distribution"
  FLEET_JFR=1 "$ROOT/benchmarks/fleet.sh" "$ROOT/karaf-assembly/target/stratos-lxc-controller-0.1.0-SNAPSHOT.tar.gz" "$OUT" \
    ${FLEET_SIZES:+"$FLEET_SIZES"} > "$OUT/fleet.log" 2>&1 || { say "fleet benchmark failed: see $OUT/fleet.log"; exit 1; }
fi

# Summary
python3 - "$OUT" "$ROOT/benchmarks/fleet-summary.py" <<'PY'
import json, sys, os
out = sys.argv[1]
lines = ["# Benchmarks " + os.path.basename(out), "", "```", open(os.path.join(out, "machine.txt")).read().strip(), "```", ""]
jmh = json.load(open(os.path.join(out, "jmh-placement.json")))
rows = {}
for b in jmh:
    name = b["benchmark"].split(".")[-1]; vms = b["params"]["vms"]; m = b["primaryMetric"]
    if b["mode"] == "thrpt":
        rows.setdefault(vms, {})[name + "_ops"] = m["score"] * 1000  # ops/ms -> ops/s
    else:
        rows.setdefault(vms, {})[name + "_p99"] = m["scorePercentiles"]["99.0"] * 1000  # ms -> us
lines += ["## Placement (JMH, one decision)", "",
          "| VMs (30 processes each) | decisions/s | p99 µs | baseline best-fit/s | ratio (placement/baseline) | in a batch of 1,000 (placePending): decisions/s | ratio (batch/baseline) |", "|---|---|---|---|---|---|---|"]
for vms, r in sorted(rows.items(), key=lambda kv: int(kv[0])):
    batch = r.get("placementBatch_ops")
    lines.append(f"| {int(vms):,} | {r['placement_ops']:,.0f} | {r['placement_p99']:.1f} | {r['baselineBestFit_ops']:,.0f} | {r['placement_ops']/r['baselineBestFit_ops']:.2f} | "
                 + (f"{batch:,.0f} | {batch/r['baselineBestFit_ops']:.2f} |" if batch else "| |"))
s = json.load(open(os.path.join(out, "start-latency.json")))
lines += ["", "## Process start to first HTTP 200 (warm image, static-httpd)", "",
          "| runtime | through the agent: median / p90 ms | raw tool: median / p90 ms | ratio (agent/raw) |", "|---|---|---|---|"]
for rt, raw in (("lxc", "lxc-start, host network"), ("docker", "docker run")):
    r = s[rt]
    lines.append(f"| {rt} | {r['agentMedianMs']} / {r['agentP90Ms']} | {r['rawMedianMs']} / {r['rawP90Ms']} ({raw}) | {r['ratio']} |")
a = json.load(open(os.path.join(out, "agent-boot.json")))
lines += ["", "## Agent distribution", "",
          "| | agent distribution | bare Karaf framework (baseline) | ratio |", "|---|---|---|---|",
          f"| cold boot to ready, median s | {a['agentBootSeconds']} | {a['frameworkBootSeconds']} | {a['agentBootSeconds']/a['frameworkBootSeconds']:.2f} |",
          f"| idle RSS, MiB | {a['agentRssMiB']} | {a['frameworkRssMiB']} | {a['agentRssMiB']/a['frameworkRssMiB']:.2f} |",
          f"| with the Docker runtime booted: to ready, median s | {a['dockerBootSeconds']} | {a['frameworkBootSeconds']} | {a['dockerBootSeconds']/a['frameworkBootSeconds']:.2f} |",
          f"| with the Docker runtime booted: idle RSS, MiB | {a['dockerRssMiB']} | {a['frameworkRssMiB']} | {a['dockerRssMiB']/a['frameworkRssMiB']:.2f} |",
          f"| tar.gz size, MiB | {a['agentSizeMiB']} | | |"]
auto = os.path.join(out, "autoscaler.json")
if os.path.exists(auto):
    r = json.load(open(auto)); iv = r["evaluationIntervalMillis"]; w = r["squareWave"]; runs = {x["stabilizationSeconds"]: x for x in w["runs"]}
    withs, without = runs[w["windowSeconds"]], runs[0]
    ratio = f"{withs['reversals']/without['reversals']:.2f}" if without["reversals"] else "n/a"
    lines += ["", "## Autoscaler (controller distribution, LXC processes of static-httpd behind the router, closed-loop load)", "",
              "| what | measured | baseline (same run) | ratio |", "|---|---|---|---|",
              f"| load step (1 -> 4 clients) to scale-up decision, median (max) of {len(r['steps'])} | {r['decisionMedianMillis']} ms ({r['decisionMaxMillis']} ms) | evaluation interval {iv} ms | {r['decisionMedianMillis']/iv:.2f} |",
              f"| decision to the new process serving HTTP 200, warm VM, median (max) | {r['servingAfterDecisionMedianMillis']} ms ({r['servingAfterDecisionMaxMillis']} ms) | target 1000 ms | {r['servingAfterDecisionMedianMillis']/1000:.2f} |",
              f"| decision to the controller seeing it RUNNING, median | {r['runningAfterDecisionMedianMillis']} ms | target 1000 ms | {r['runningAfterDecisionMedianMillis']/1000:.2f} |",
              f"| decision to the router sending to it, median (max) | {r['routedAfterDecisionMedianMillis']} ms ({r['routedAfterDecisionMaxMillis']} ms) | target 1000 ms | {r['routedAfterDecisionMedianMillis']/1000:.2f} |",
              f"| square wave 8/1 clients, {w['halfPeriodSeconds']} s each: reversals per {w['windowSeconds']} s window | {withs['reversalsPerWindow']} ({withs['reversals']} in {withs['durationSeconds']} s, {withs['decisions']} decisions) | no stabilisation window: {without['reversalsPerWindow']} ({without['reversals']} reversals, {without['decisions']} decisions) | {ratio} |",
              f"| level 2: load step (1 -> 12 clients) to the partition's scale-out decision | {r['vmStep']['partitionDecisionAfterLoadMillis']} ms | evaluation interval {iv} ms | {r['vmStep']['partitionDecisionAfterLoadMillis']/iv:.2f} |",
              f"| level 2: decision to the new VM (local agent) READY; load step to all 6 processes RUNNING | {r['vmStep']['vmReadyAfterPartitionDecisionMillis']} ms; {r['vmStep']['allRunningAfterLoadMillis']} ms | | |",
              f"| failed requests over the whole run | {r['load']['failed']} of {r['load']['sent']} | | |",
              "", "![load, processes and VMs over time](autoscaler.png)"]
cold = os.path.join(out, "scale-from-zero.json")
if os.path.exists(cold):
    c = json.load(open(cold))
    lines += ["", "## Scale from zero (a cold request into a subscription at zero, warm image, VM up)", "",
              "| | p50 ms | p99 ms |", "|---|---|---|",
              f"| cold, {c['cycles']} cycles | {c['cold_p50_ms']} | {c['cold_p99_ms']} |",
              f"| the warm-up cycle's cold request, not counted | {c.get('warmup_cold_ms', '')} | |",
              f"| warm, same run (baseline) | {c['warm_p50_ms']} | {c['warm_p99_ms']} |",
              f"| ratio cold/warm | {c['cold_p50_ms']/c['warm_p50_ms']:.1f} | {c['cold_p99_ms']/c['warm_p99_ms']:.1f} |"]
store = os.path.join(out, "store.json")
if os.path.exists(store):
    st = json.load(open(store))
    lines += ["", "## Store: upload and download over the REST API (127.0.0.1, curl) vs cp of the same file", "",
              f"load average at the end: {st['load']}", "",
              "| image | size | upload median ms | sha256sum + tar -tzf ms (baseline) | upload ratio | download median ms | cp median ms (baseline) | download/cp | curl from a sendfile server ms | download/sendfile |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for i in st["images"]:
        c = max(i["cpMedianMs"], 1); w = max(i.get("hashListMedianMs", 0), 1); sf = max(i.get("sendfileMedianMs", 0), 1)
        lines.append(f"| {i['image']} | {i['bytes']/1048576:.1f} MiB | {i['uploadMedianMs']} | {i.get('hashListMedianMs', '')} | {i['uploadMedianMs']/w:.2f} | "
                     f"{i['downloadMedianMs']} | {i['cpMedianMs']} | {i['downloadMedianMs']/c:.2f} | {i.get('sendfileMedianMs', '')} | {i['downloadMedianMs']/sf:.2f} |")
boot = os.path.join(out, "controller-boot.json")
if os.path.exists(boot):
    b = json.load(open(boot))
    lines += ["", f"## Controller boot and idle RSS (JVM options: `{b['javaOpts']}`; median of {b['runs']})", "",
              f"| | controller distribution | bare Karaf {b['karaf']} + CXF {b['cxf']} (baseline) | ratio |", "|---|---|---|---|",
              f"| unpacked to the first REST answer, s | {b['controllerBootMedianMs']/1000:.2f} | {b['bareBootMedianMs']/1000:.2f} | {b['controllerBootMedianMs']/b['bareBootMedianMs']:.2f} |",
              f"| idle RSS after {b['idleSeconds']} s (controller: one partition), MiB | {b['controllerRssMedianMiB']} | {b['bareRssMedianMiB']} | {b['controllerRssMedianMiB']/b['bareRssMedianMiB']:.2f} |"]
import subprocess
fleet = subprocess.run([sys.executable, sys.argv[2], out], capture_output=True, text=True).stdout.strip()
if fleet:
    lines += ["", fleet]
for extra in ("density.md", "agent-boot-levers.md", "router-nginx/README.md"):
    path = os.path.join(out, extra)
    if os.path.exists(path):
        lines += ["", open(path).read().strip()]
open(os.path.join(out, "README.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
# The current figures: this run's summary-fragment.json into benchmarks/results/latest/summary.json and the table of
# docs/performance.md.
python3 "$ROOT/benchmarks/merge-summary.py" "$OUT"
say "results in $OUT"

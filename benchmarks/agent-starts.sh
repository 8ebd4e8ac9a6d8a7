#!/usr/bin/env bash
# Starts through the agent beside plain lxc-start of the same container, and (DENSITY_PROCESSES=N) N idle processes
# held through the agent's reconciler. Both run StartBurstBenchmark (bundles/agent): the baseline's config is written by
# the agent's own config writer (overlay over the same image, id map, veth on the same bridge, limits).
#   benchmarks/agent-starts.sh [out dir]     (default benchmarks/results/<UTC stamp>-agent-starts)
# Env: RUNS (10, one-at-a-time starts of each), BURST (200), DENSITY_PROCESSES (0: skip; the issue asks 2000),
#      HOLD_SECONDS (180: how long N processes are watched for flapping and the agent's CPU).
# Writes start-burst.json, density.json (if asked), machine.txt and summary-fragment.json (start_single,
# start_burst_200, density_running). Needs root, LXC, and `mvn install -DskipTests` of bundles/agent done before.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
: "${JAVA_HOME:=$(ls -d /usr/lib/jvm/java-17-openjdk-* | head -n1)}"; export JAVA_HOME
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
OUT=${1:-"$ROOT/benchmarks/results/$STAMP-agent-starts"}
RUNS=${RUNS:-10}
BURST=${BURST:-200}
DENSITY_PROCESSES=${DENSITY_PROCESSES:-0}
HOLD_SECONDS=${HOLD_SECONDS:-180}
DENSITY_NETWORK=${DENSITY_NETWORK:-host}
mkdir -p "$OUT"
say() { printf '[agent-starts] %s\n' "$*" >&2; }
MVN_REPO=()
[ -n "${MAVEN_REPO:-}" ] && MVN_REPO=(-Dmaven.repo.local="$MAVEN_REPO")

{
  echo "date: $STAMP"
  echo "cores: $(nproc)"
  echo "memory: $(free -m | awk '/Mem:/{print $2}') MiB"
  echo "os: $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
  echo "lxc: $(lxc-start --version)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "other processes at the start (top CPU):"
  ps -eo pcpu,comm --sort=-pcpu | head -n 8 | sed 's/^/  /'
} > "$OUT/machine.txt"

"$ROOT/cartridges/static-httpd/build.sh" >/dev/null
IMAGE=$(ls "$ROOT"/cartridges/static-httpd/target/static-httpd-*.tar.gz | head -n1)

bench() { # <json out> <extra -D options>
  mvn -B -q -Dstyle.color=never -o "${MVN_REPO[@]}" test-compile surefire:test -pl bundles/agent -Dtest=StartBurstBenchmark \
    -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=false \
    -DargLine="-Dstratos.benchmark.out=$1 -Dstratos.benchmark.image=$IMAGE -Dstratos.benchmark.runs=$RUNS \
-Dstratos.benchmark.burst=$BURST $2" > "${1%.json}.log" 2>&1 || { say "benchmark failed: see ${1%.json}.log"; exit 1; }
}

say "starts: $RUNS one at a time and a step of $BURST, through the agent and with plain lxc-start"
bench "$OUT/start-burst.json" ""
if [ "$DENSITY_PROCESSES" -gt 0 ]; then
  say "density: $DENSITY_PROCESSES processes held $HOLD_SECONDS s"
  bench "$OUT/density.json" "-Dstratos.benchmark.density=$DENSITY_PROCESSES -Dstratos.benchmark.holdSeconds=$HOLD_SECONDS -Dstratos.benchmark.network=$DENSITY_NETWORK"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"

case "$OUT" in
  "$ROOT"/*) REL=${OUT#"$ROOT/"} ;;
  *) REL="benchmarks/results/$(basename "$OUT")" ;; # run from a copy of the tree
esac
python3 - "$OUT" "$REL" "$BURST" "$DENSITY_PROCESSES" "$HOLD_SECONDS" <<'EOF'
import json, os, sys, datetime
out, rel, burst, density, hold = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
date = datetime.datetime.utcnow().strftime("%Y-%m-%d")
s = json.load(open(os.path.join(out, "start-burst.json")))
frag = {
    "start_single": {"value": s["single"]["agentMedianMs"], "baseline": s["single"]["rawMedianMs"], "ratio": s["single"]["ratio"],
                     "unit": "ms", "date": date, "results": rel,
                     "what": "one process, desired state into the agent's reconciler until it reports RUNNING (median)",
                     "baseline_what": "plain lxc-start -d of the same container config (written by the agent's config writer) "
                                      "until its first HTTP 200 (median)"},
    "start_burst_%d" % burst: {"value": s["burst"]["agentMsPerProcess"], "baseline": s["burst"]["rawMsPerProcess"],
                     "ratio": s["burst"]["ratio"], "unit": "ms per process", "date": date, "results": rel,
                     "what": "%d processes in one desired state until all RUNNING, wall time / %d" % (burst, burst),
                     "baseline_what": "%d plain lxc-start -d of the same configs, one per core at once, until each answers "
                                      "HTTP 200, wall time / %d" % (burst, burst)},
}
if density > 0:
    d = json.load(open(os.path.join(out, "density.json")))
    frag["density_running"] = {"value": d["runningAfterHold"], "baseline": density,
                               "ratio": round(d["runningAfterHold"] / density, 4), "unit": "processes RUNNING", "date": date,
                               "results": rel,
                               "what": "RUNNING after a %d s hold of %d idle static-httpd processes through the agent's "
                                       "reconciler (flapped: %d; agent CPU %.2f %% of a core; status report %d bytes)"
                                       % (hold, density, d["flapped"], d["agentCpuPercentOfACore"], d["statusReportBytes"]),
                               "baseline_what": "processes wanted"}
json.dump(frag, open(os.path.join(out, "summary-fragment.json"), "w"), indent=2)
print(json.dumps(frag, indent=2))
EOF

#!/usr/bin/env bash
# Fleet: the real controller distribution against simulated VMs. The 'hollow' IaaS adapter (feature
# stratos-iaas-hollow, booted here only) hands each VM it is asked for to the hollow-agent simulator
# (tools/hollow-agents), which registers one agent per VM over the real agent protocol on 127.0.0.1, long-polls
# its desired state, reports every desired process RUNNING at once with synthetic metrics, and runs nothing.
# For each fleet size: VMs READY, processes placed and RUNNING (end to end), steady state (controller CPU,
# heap after GC, autoscaler pass time), desired-state latency seen by agents. JSON per size in <out dir>.
#   fleet.sh <controller dist tar.gz> <out dir> [sizes]        sizes: "1000 10000" (QUICK=1: "1000")
# Env: FLEET_PORT_BASE (31500: HTTP, +1 ssh, +2 RMI registry, +3 RMI server, +4 router),
#      FLEET_JAVA_OPTS (controller JVM; default -Xms1g -Xmx4g -XX:+UseG1GC: the target is a heap under 4 GiB,
#      and the distribution's default -Xmx512m is for a small installation),
#      FLEET_JFR=1 (a JFR recording of the controller per size, <out>/fleet-<size>.jfr), FLEET_PROCESSES_PER_VM (30),
#      FLEET_TAG (suffix of the result file names, e.g. -before),
#      FLEET_METRICS=1 (after the run, what a scrape of /stratos/metrics costs beside GET /vms of the same fleet:
#      <out>/metrics-scrape-<size>.txt; the agents' grace period is then an hour, so that the fleet stays as it was
#      once the simulator has stopped).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
DIST=${1:?controller distribution tar.gz}
OUT=${2:?output directory}
SIZES=${3:-$([ -n "${QUICK:-}" ] && echo 1000 || echo "1000 10000")}
BASE=${FLEET_PORT_BASE:-31500}
PER_VM=${FLEET_PROCESSES_PER_VM:-30}
TAG=${FLEET_TAG:-}
: "${JAVA_HOME:=$(ls -d /usr/lib/jvm/java-17-openjdk-* | head -n1)}"; export JAVA_HOME
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOL="$ROOT/tools/hollow-agents/target"
CP="$TOOL/stratos-hollow-agents-0.1.0-SNAPSHOT.jar:$(cat "$TOOL/classpath.txt")"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d /tmp/stratos-bench-fleet-XXXX)
CTL="$WORK/controller"
say() { printf '[fleet] %s\n' "$*" >&2; }
# thousands of connections on each side of 127.0.0.1
ulimit -n 65536 2>/dev/null || say "could not raise the open-files limit above $(ulimit -n)"

cleanup() {
  local rc=$?
  set +e
  [ -f "$CTL/karaf.pid" ] && kill -9 "$(cat "$CTL/karaf.pid")" 2>/dev/null
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

# What one scrape of /stratos/metrics costs (wall time, bytes, controller CPU) with the default cap and with none,
# beside GET /vms of the same fleet; 5 of each after one warm-up.
metrics_scrape() {
  local out=$1 pid cpu url
  pid=$(cat "$CTL/karaf.pid")
  cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
  one() { # name url: seconds, bytes, controller CPU ticks (1/100 s) for one GET
    local before after line
    before=$(cpu); line=$(curl -s -u karaf:karaf -o /dev/null -w '%{http_code} %{time_total} %{size_download}' "$2"); after=$(cpu)
    echo "$1 $line $((after - before))"
  }
  {
    echo "# $VMS VMs x $PER_VM processes, after the run; $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# what status seconds bytes controller-cpu-ticks(1/100s)"
    for what in metrics vms; do
      url="http://127.0.0.1:$HTTP/stratos/metrics"; [ $what = vms ] && url="$API/vms"
      one "$what-warmup" "$url"
      for _ in 1 2 3 4 5; do one "$what" "$url"; done
    done
    printf 'maxProcessSeries = %s\n' 10000000 > "$CTL/etc/io.stratos.lxc.metrics.cfg"
    sleep 5 # Karaf's file watcher hands the new setting to the endpoint
    one metrics-uncapped-warmup "http://127.0.0.1:$HTTP/stratos/metrics"
    for _ in 1 2 3; do one metrics-uncapped "http://127.0.0.1:$HTTP/stratos/metrics"; done
  } > "$out"
  say "scrape cost: $(grep -v '^#' "$out" | grep -v warmup | awk '{n[$1]++; s[$1]+=$3; b[$1]=$4; c[$1]+=$5} END {for (k in n) printf "%s %.3f s %d bytes %.2f cpu-s; ", k, s[k]/n[k], b[k], c[k]/n[k]/100}')"
}

HTTP=$BASE SSH=$((BASE + 1)) RMIREG=$((BASE + 2)) RMISRV=$((BASE + 3)) ROUTER=$((BASE + 4))
API="http://127.0.0.1:$HTTP/stratos/api/v1"

for VMS in $SIZES; do
  rm -rf "$CTL"; mkdir -p "$CTL"; tar xzf "$DIST" -C "$CTL" --strip-components=1
  setcfg org.ops4j.pax.web.cfg org.osgi.service.http.port "$HTTP"
  setcfg org.apache.karaf.shell.cfg sshPort "$SSH"
  setcfg org.apache.karaf.management.cfg rmiRegistryPort "$RMIREG"
  setcfg org.apache.karaf.management.cfg rmiServerPort "$RMISRV"
  setcfg io.stratos.lxc.router.cfg port "$ROUTER"
  setcfg io.stratos.lxc.controller.cfg routerPort "$ROUTER"
  setcfg io.stratos.lxc.iaas.hollow.cfg spoolFile "$WORK/vms-$VMS.spool"
  [ -n "${FLEET_METRICS:-}" ] && setcfg io.stratos.lxc.controller.cfg agentGracePeriodSeconds 3600
  # the hollow adapter is booted for this run only
  sed -i 's#^\(\s*\)stratos-lxc/\([^,]*\), \\#\1stratos-lxc/\2, \\\n\1stratos-iaas-hollow/\2, \\#' "$CTL/etc/org.apache.karaf.features.cfg"
  JFR=""
  [ -n "${FLEET_JFR:-}" ] && JFR=" -XX:StartFlightRecording=filename=$OUT/fleet-$VMS$TAG.jfr,settings=profile,dumponexit=true"
  say "controller on 127.0.0.1:$HTTP for $VMS VMs x $PER_VM processes (load $(cut -d' ' -f1-3 /proc/loadavg))"
  (cd "$CTL" && EXTRA_JAVA_OPTS="${FLEET_JAVA_OPTS:--Xms1g -Xmx4g -XX:+UseG1GC}$JFR" setsid bin/karaf daemon > console.log 2>&1 < /dev/null &)
  for _ in $(seq 1 600); do
    [ "$(curl -s -u karaf:karaf -o /dev/null -w '%{http_code}' "$API/partitions")" = 200 ] \
      && [ "$(curl -s -u karaf:karaf -o /dev/null -w '%{http_code}' "$API/subscriptions")" = 200 ] && break
    sleep 0.5
  done
  # the distribution preloads static-httpd when it was built before the assembly; otherwise upload it
  if ! curl -s -u karaf:karaf "$API/cartridges" | grep -q '"static-httpd"'; then
    # a glob, not ls | head: under pipefail a failing ls (nothing built yet) ends the script without a word
    IMAGE=$(compgen -G "$ROOT/cartridges/static-httpd/target/static-httpd-*.tar.gz" | head -n1 || true)
    [ -n "$IMAGE" ] || "$ROOT/cartridges/static-httpd/build.sh" >/dev/null
    IMAGE=$(compgen -G "$ROOT/cartridges/static-httpd/target/static-httpd-*.tar.gz" | head -n1 || true)
    [ -n "$IMAGE" ] || { say "no static-httpd image after cartridges/static-httpd/build.sh: run it and read what it prints"; exit 1; }
    curl -sf -u karaf:karaf -X PUT -H 'Content-Type: application/gzip' --data-binary @"$IMAGE" \
      "$API/cartridges/static-httpd/versions/$(basename "$IMAGE" .tar.gz | sed 's/^static-httpd-//')" >/dev/null \
      || { say "cannot upload $IMAGE"; exit 1; }
  fi
  grep -q 'Hollow IaaS adapter ready' "$CTL/data/log/karaf.log" || { sleep 5; grep -q 'Hollow IaaS adapter ready' "$CTL/data/log/karaf.log"; } \
    || { say "hollow adapter not started: $(tail -5 "$CTL/data/log/karaf.log")"; exit 1; }
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  # idle pooled connections close after 5 s: the open files of both processes are 20,000 at most here; a common
  # pool of 4 (on 2 cores it would be 1, and CompletableFuture would start a thread per asynchronous task)
  "$JAVA_HOME/bin/java" -Xmx2g -XX:+UseParallelGC -Djdk.httpclient.keepalive.timeout=5 -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 -cp "$CP" io.stratos.lxc.hollow.FleetBenchmark \
    api="http://127.0.0.1:$HTTP/stratos" user=karaf:karaf spool="$WORK/vms-$VMS.spool" vms="$VMS" processesPerVm="$PER_VM" \
    jmx="service:jmx:rmi://127.0.0.1:$RMISRV/jndi/rmi://127.0.0.1:$RMIREG/karaf-root" \
    steadySeconds="$([ -n "${QUICK:-}" ] && echo 15 || echo 30)" probes="$([ -n "${QUICK:-}" ] && echo 15 || echo 40)" \
    timeoutSeconds="${FLEET_TIMEOUT:-900}" out="$OUT/fleet-$VMS$TAG.json" \
    || { say "fleet benchmark failed at $VMS VMs; controller log: $(grep -E 'ERROR|WARN' "$CTL/data/log/karaf.log" | tail -5)"; FAILED=1; }
  python3 - "$OUT/fleet-$VMS$TAG.json" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "${FLEET_JAVA_OPTS:--Xms1g -Xmx4g -XX:+UseG1GC}" <<'PY'
import json, sys
p = sys.argv[1]
r = json.load(open(p))
r["loadBefore"], r["loadAfter"], r["controllerJavaOptions"] = sys.argv[2], sys.argv[3], sys.argv[4]
json.dump(r, open(p, "w"), indent=2)
PY
  [ -n "${FLEET_METRICS:-}" ] && metrics_scrape "$OUT/metrics-scrape-$VMS$TAG.txt"
  [ -n "${FLEET_JFR:-}" ] && jcmd "$(cat "$CTL/karaf.pid")" JFR.dump filename="$OUT/fleet-$VMS$TAG.jfr" >/dev/null 2>&1 || true
  cp "$CTL/data/log/karaf.log" "$OUT/fleet-$VMS$TAG-karaf.log" 2>/dev/null || true
  kill "$(cat "$CTL/karaf.pid")"; for _ in $(seq 1 100); do kill -0 "$(cat "$CTL/karaf.pid")" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$(cat "$CTL/karaf.pid")" 2>/dev/null || true
  if [ -n "${FAILED:-}" ]; then exit 1; fi
done

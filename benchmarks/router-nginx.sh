#!/usr/bin/env bash
# The router beside nginx as a reverse proxy to the SAME backends, in one run:
#   - the built controller distribution with one local VM (network = host) and a subscription of 3 static-httpd
#     processes, their CPU cap lifted (a copy of the cartridge whose cpuMillis is all the machine's cores: the store
#     takes 1..256000 and the agent writes it as cgroup cpu.max), so that the proxies, not the backends, are measured;
#   - nginx (Debian's nginx-light, installed when missing) started by this script with a generated configuration on
#     127.0.0.1: an upstream of the 3 processes' endpoints (GET /subscriptions/bench/processes, "endpoint"),
#     least_conn, keepalive 64, proxy_http_version 1.1 and an empty Connection header;
#   - wrk --latency with 1, 16 and 128 connections, RN_SECONDS (10) each after a RN_WARMUP (3) s warm-up at the same
#     count, the same path (the cartridge's /index.html) and Host header through all; RN_ROUNDS (2) rounds, the
#     proxies alternating and the order flipped in the even rounds so drift shows. Three proxies: the router with its
#     access log on ("router"), the same router with it off ("router-nolog", log:set OFF io.stratos.lxc.router.access
#     through the Karaf client between runs: an A/B of the access log's cost in one run), and nginx (its access log off).
# Records requests/s, requests/s that got a 2xx, p50 and p99 per proxy and connection count, and the ratios
# router/nginx, in <out dir>/summary.json, summary-fragment.json (router_rps_vs_nginx, router_p99_vs_nginx at 16
# connections, and per connection count) and README.md with the machine's facts and the commit measured.
# RN_JFR=1 also records the controller's JVM with JFR (settings=profile) over the whole measurement into
# <out dir>/router.jfr and summarises its hot frames (benchmarks/jfr-summary.py) into jfr-summary.txt.
# All traffic goes to 127.0.0.1. Run it alone: on a shared machine hold /tmp/stratos-itests.lock (flock) around it.
#   router-nginx.sh <controller dist tar.gz> [out dir]    (default benchmarks/results/<UTC stamp>-router-nginx)
#   RN_LABEL="..."  what the router measured is (README and summary.json), e.g. "JDK HttpServer, 64 threads"
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DIST=$(cd "$(dirname "${1:?controller distribution tar.gz}")" && pwd)/$(basename "$1")
STAMP=$(date -u +%Y-%m-%dT%H%MZ)
OUTDIR=${2:-"$ROOT/benchmarks/results/$STAMP-router-nginx"}
SECONDS_RUN=${RN_SECONDS:-10}
WARMUP=${RN_WARMUP:-3}
ROUNDS=${RN_ROUNDS:-2}
CONNECTIONS=${RN_CONNECTIONS:-"1 16 128"}
PORT_BASE=${RN_PORT_BASE:-26500}
PAGE_PATH=/index.html
: "${JAVA_HOME:=$(ls -d /usr/lib/jvm/java-17-openjdk-* | head -n1)}"; export JAVA_HOME
command -v wrk > /dev/null || { echo "wrk is missing: scripts/host-setup.sh --bench installs it" >&2; exit 1; }
say() { printf '[router-nginx] %s\n' "$*" >&2; }
. "$HERE/lib.sh"

# nginx: Debian's package, installed without starting its service (policy-rc.d says no, as in a container);
# this script only ever runs its own nginx, with its own configuration and prefix.
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$NGINX" ]; then
  say "installing nginx-light (Debian) without starting its service"
  made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light > /dev/null || { apt-get update -q > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light > /dev/null; }
  [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
  NGINX=/usr/sbin/nginx
fi

WORK=$(mktemp -d /tmp/stratos-bench-router-nginx-XXXX)
chmod 755 "$WORK" # unprivileged containers traverse it to their rootfs
mkdir -p "$OUTDIR"
CTL=""
NGINX_PID=""

cleanup() {
  local rc=$?
  set +e
  if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null; fi
  if [ -n "$CTL" ]; then
    [ "$rc" = 0 ] || cp "$CTL/data/log/karaf.log" "$OUTDIR/karaf.log" 2>/dev/null  # the controller's log when the run failed
    curl_api -X DELETE "$API/subscriptions/bench" > /dev/null
    curl_api -X DELETE "$API/partitions/bench" > /dev/null
    sleep 3
  fi
  stop_controller
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

# ---------------------------------------------------------------- the controller, one VM, 3 uncapped processes
CTL="$WORK/controller"
controller_unpack "$DIST"
setcfg io.stratos.lxc.iaas.local.cfg portRangeStart "$PORT_BASE"
setcfg io.stratos.lxc.iaas.local.cfg network host
(cd "$CTL" && STRATOS_AGENT_RUNTIMES=lxc setsid bin/karaf daemon > console.log 2>&1 < /dev/null &)
controller_await
say "controller on 127.0.0.1:$HTTP, router 127.0.0.1:$ROUTER"

CORES=$(nproc)
CPU_MILLIS=$((CORES * 1000))
IMAGE="$ROOT/cartridges/static-httpd/target/static-httpd-1.0.0.tar.gz"
[ -f "$IMAGE" ] || "$ROOT/cartridges/static-httpd/build.sh" > /dev/null
VERSION=1.0.0-uncapped
mkdir -p "$WORK/image"
tar xzf "$IMAGE" -C "$WORK/image"
python3 - "$WORK/image/cartridge.json" "$VERSION" "$CPU_MILLIS" <<'PY'
import json, sys
path, version, cpu = sys.argv[1], sys.argv[2], int(sys.argv[3])
m = json.load(open(path))
m["version"] = version
m["resources"]["cpuMillis"] = cpu  # every core: no cap that the machine would notice
json.dump(m, open(path, "w"), indent=2)
PY
tar czf "$WORK/uncapped.tar.gz" -C "$WORK/image" cartridge.json rootfs
answer=$(curl -s -u karaf:karaf -w ' %{http_code}' -X PUT -H 'Content-Type: application/gzip' \
  --data-binary @"$WORK/uncapped.tar.gz" "$API/cartridges/static-httpd/versions/$VERSION")
[ "${answer##* }" = 201 ] || { say "uploading static-httpd $VERSION: $answer"; exit 1; }
answer=$(curl_api -w ' %{http_code}' -X POST "$API/partitions" \
  -d "{\"name\":\"bench\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1,\"vmCapacity\":{\"cpuMillis\":$((4 * CPU_MILLIS)),\"memoryMiB\":4096}}")
[ "${answer##* }" = 201 ] || { say "POST /partitions: $answer"; exit 1; }
answer=$(curl_api -w ' %{http_code}' -X POST "$API/subscriptions" \
  -d "{\"alias\":\"bench\",\"cartridge\":\"static-httpd\",\"version\":\"$VERSION\",\"minProcesses\":3,\"maxProcesses\":3}")
[ "${answer##* }" = 201 ] || { say "POST /subscriptions: $answer"; exit 1; }
running() { curl_api "$API/subscriptions/bench/processes" | python3 -c "import json,sys; print(sum(1 for p in json.load(sys.stdin) if p['state']=='RUNNING'))"; }
for _ in $(seq 1 900); do [ "$(running)" = 3 ] && break; sleep 0.2; done
[ "$(running)" = 3 ] || { say "not 3 RUNNING processes: $(curl_api "$API/subscriptions/bench/processes")"; exit 1; }
ENDPOINTS=$(curl_api "$API/subscriptions/bench/processes" | python3 -c "import json,sys; print(' '.join(p['endpoint'] for p in json.load(sys.stdin) if p['state']=='RUNNING'))")
say "backends: $ENDPOINTS"
for e in $ENDPOINTS; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$e$PAGE_PATH")" = 200 ] || { say "backend $e does not serve $PAGE_PATH"; exit 1; }
  case "$e" in 127.0.0.1:*) ;; *) say "backend $e is not on 127.0.0.1"; exit 1 ;; esac
done
# the cgroup each process got (LXC's lxc.payload.stratos-<process id>, cgroup v2 or v1): the machine's cores, not the
# cartridge's 100 millicores (cpu.max "10000 100000", cfs_quota_us 10000)
cpu_limit() {
  for f in /sys/fs/cgroup/lxc.payload.stratos-"$1"/cpu.max /sys/fs/cgroup/unified/lxc.payload.stratos-"$1"/cpu.max \
           /sys/fs/cgroup/cpu/lxc.payload.stratos-"$1"/cpu.cfs_quota_us; do
    [ -f "$f" ] && { echo "$(basename "$f") $(cat "$f")"; return; }
  done
  echo unknown
}
IDS=$(curl_api "$API/subscriptions/bench/processes" | python3 -c "import json,sys; print(' '.join(p['id'] for p in json.load(sys.stdin)))")
CPU_MAX=$(for id in $IDS; do cpu_limit "$id"; done | sort -u | paste -sd';')
say "CPU limit of the processes' cgroups: $CPU_MAX"
echo "$CPU_MAX" | grep -Eq '(cfs_quota_us|cpu.max) 10000( |;|$)' && { say "the processes are still capped at 100 millicores"; exit 1; }
# one request through the router first: it learns an alias's backends when asked for it
curl -s -o /dev/null -H 'Host: bench.stratos.local' "http://127.0.0.1:$ROUTER$PAGE_PATH"
# the router's view (GET /router/<alias>): waited for, but only a warning when another router words it differently
for _ in $(seq 1 300); do curl_api "$API/router/bench" | grep '"backends" *: *3' > /dev/null && break; sleep 0.2; done
curl_api "$API/router/bench" | grep '"backends" *: *3' > /dev/null || say "warning: GET /router/bench does not say 3 backends: $(curl_api "$API/router/bench")"

# ---------------------------------------------------------------- nginx in front of the same 3 endpoints
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
{
  echo "daemon off;"
  echo "master_process on;"
  echo "worker_processes auto;  # every core, as the router's JVM has"
  echo "pid $WORK/nginx/nginx.pid;"
  echo "error_log $WORK/nginx/logs/error.log warn;"
  echo "events { worker_connections 4096; }"
  echo "http {"
  echo "  access_log off;"
  echo "  client_body_temp_path $WORK/nginx/tmp/body; proxy_temp_path $WORK/nginx/tmp/proxy;"
  echo "  fastcgi_temp_path $WORK/nginx/tmp/fastcgi; uwsgi_temp_path $WORK/nginx/tmp/uwsgi; scgi_temp_path $WORK/nginx/tmp/scgi;"
  echo "  upstream backends {"
  echo "    least_conn;"
  for e in $ENDPOINTS; do echo "    server $e;"; done
  echo "    keepalive 64;"
  echo "  }"
  echo "  server {"
  echo "    listen 127.0.0.1:$NGINX_PORT;"
  echo "    location / {"
  echo "      proxy_pass http://backends;"
  echo "      proxy_http_version 1.1;"
  echo "      proxy_set_header Connection \"\";"
  echo "    }"
  echo "  }"
  echo "}"
} > "$WORK/nginx/nginx.conf"
cp "$WORK/nginx/nginx.conf" "$OUTDIR/nginx.conf"
"$NGINX" -t -q -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -e "$WORK/nginx/logs/error.log"
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -e "$WORK/nginx/logs/error.log" &
NGINX_PID=$!
for _ in $(seq 1 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NGINX_PORT$PAGE_PATH")" = 200 ] && break; sleep 0.1; done
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: bench.stratos.local' "http://127.0.0.1:$NGINX_PORT$PAGE_PATH")" = 200 ] \
  || { say "nginx does not serve $PAGE_PATH: $(cat "$WORK/nginx/logs/error.log")"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: bench.stratos.local' "http://127.0.0.1:$ROUTER$PAGE_PATH")" = 200 ] \
  || { say "the router does not serve $PAGE_PATH"; exit 1; }
say "nginx $("$NGINX" -v 2>&1 | sed 's/.*version: //') on 127.0.0.1:$NGINX_PORT (pid $NGINX_PID)"

# ---------------------------------------------------------------- measure
{
  echo "date: $STAMP"
  echo "cores: $CORES"
  echo "memory: $(free -m | awk '/Mem:/{print $2}') MiB"
  echo "os: $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
  echo "nginx: $("$NGINX" -v 2>&1)"
  echo "wrk: $(wrk -v 2>&1 | head -n1)"
  echo "code: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- bundles 2>/dev/null || echo ' (bundles/ changed since)')"
  echo "router: ${RN_LABEL:-router of that commit}"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUTDIR/machine.txt"
cat "$OUTDIR/machine.txt" >&2

port_of() { [ "$1" = nginx ] && echo "$NGINX_PORT" || echo "$ROUTER"; }
# The router's access log on or off (log:set through the Karaf client), changed only when the next proxy needs it.
ACCESS_LOG=on
access_log() { # on|off
  [ "$ACCESS_LOG" = "$1" ] && return 0
  local level=INFO; [ "$1" = off ] && level=OFF
  echo "log:set $level io.stratos.lxc.router.access" | (cd "$CTL" && bin/client -a "$SSH" -u karaf -p karaf -b) > /dev/null 2>&1 \
    || { say "log:set $level io.stratos.lxc.router.access failed"; exit 1; }
  # pax-logging applies it a moment later: wait until one request writes a line (on) or none (off)
  local before
  for _ in $(seq 1 50); do
    before=$(access_log_lines)
    curl -s -o /dev/null -H 'Host: bench.stratos.local' "http://127.0.0.1:$ROUTER$PAGE_PATH"
    sleep 0.2
    if [ "$1" = on ] && [ "$(access_log_lines)" -gt "$before" ]; then ACCESS_LOG=on; return 0; fi
    if [ "$1" = off ] && [ "$(access_log_lines)" = "$before" ]; then ACCESS_LOG=off; return 0; fi
  done
  say "the access log did not turn $1 within 10 s"; exit 1
}
access_log_lines() { cat "$CTL"/data/log/router-access*.log 2>/dev/null | wc -l; }
KARAF_PID=$(cat "$CTL/karaf.pid" 2>/dev/null || pgrep -f -- "-Dkaraf.home=$CTL" | head -n1)
if [ -n "${RN_JFR:-}" ]; then
  "$JAVA_HOME/bin/jcmd" "$KARAF_PID" JFR.start name=router-nginx settings=profile filename="$OUTDIR/router.jfr" > /dev/null
fi
RESULTS="$OUTDIR/runs.tsv"
printf 'round\tproxy\tconnections\trequests_per_s\tok_per_s\tp50_ms\tp99_ms\trequests\tfailed\n' > "$RESULTS"
wrk_run() { # proxy connections seconds -> one TSV line (without the round)
  local threads=1
  wrk -t"$threads" -c"$2" -d"$3s" --latency -H "Host: bench.stratos.local" "http://127.0.0.1:$(port_of "$1")$PAGE_PATH" > "$WORK/wrk.txt"
  cat "$WORK/wrk.txt" >> "$OUTDIR/wrk.log"
  python3 - "$WORK/wrk.txt" "$1" "$2" <<'PY'
import re, sys
text, proxy, conns = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3]
def ms(label):
    m = re.search(r"^\s*" + label + r"%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
total = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", text)
n = int(total.group(1)); secs = float(total.group(2)) * {"ms": 0.001, "s": 1, "m": 60}[total.group(3)]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
bad = int(non2xx.group(1)) if non2xx else 0
failed = bad + (sum(int(g) for g in sockets.groups()) if sockets else 0)
print(f"{proxy}\t{conns}\t{rps:.0f}\t{(n - bad) / secs:.0f}\t{ms('50'):.3f}\t{ms('99'):.3f}\t{n}\t{failed}")
PY
}
for round in $(seq 1 "$ROUNDS"); do
  order="router router-nolog nginx"; [ $((round % 2)) = 0 ] && order="nginx router-nolog router"
  for c in $CONNECTIONS; do
    for proxy in $order; do
      case "$proxy" in router) access_log on ;; router-nolog) access_log off ;; esac
      logged=$(access_log_lines)
      echo "== round $round $proxy $c connections" >> "$OUTDIR/wrk.log"
      wrk -t1 -c"$c" -d"${WARMUP}s" -H "Host: bench.stratos.local" "http://127.0.0.1:$(port_of "$proxy")$PAGE_PATH" > /dev/null
      line=$(wrk_run "$proxy" "$c" "$SECONDS_RUN")
      printf '%s\t%s\n' "$round" "$line" >> "$RESULTS"
      # the A/B must be what it says: lines written with the log on, none with it off
      if [ "$proxy" = router ] && [ "$(access_log_lines)" -le "$logged" ]; then say "the access log wrote nothing during a run with it on"; exit 1; fi
      if [ "$proxy" = router-nolog ] && [ "$(access_log_lines)" -gt "$((logged + 5))" ]; then say "the access log kept writing with it off"; exit 1; fi
      say "round $round: $(echo "$line" | awk -F'\t' '{printf "%-6s %3s connections: %s requests/s (%s with a 2xx), p50 %s ms, p99 %s ms, %s failed", $1, $2, $3, $4, $5, $6, $8}')"
    done
  done
done
access_log on
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUTDIR/machine.txt"
if [ -n "${RN_JFR:-}" ]; then
  "$JAVA_HOME/bin/jcmd" "$KARAF_PID" JFR.stop name=router-nginx > /dev/null
  "$JAVA_HOME/bin/jfr" print --stack-depth 200 --events jdk.ExecutionSample "$OUTDIR/router.jfr" \
    | python3 "$HERE/jfr-summary.py" 40 > "$OUTDIR/jfr-summary.txt"
fi
cp "$WORK/nginx/logs/error.log" "$OUTDIR/nginx-error.log" 2>/dev/null || true

# ---------------------------------------------------------------- summary.json and README.md
python3 - "$OUTDIR" "$SECONDS_RUN" "$WARMUP" "$ROUNDS" "$ENDPOINTS" "${CPU_MAX:-}" <<'PY'
import csv, json, os, sys
out, seconds, warmup, rounds, endpoints, cpumax = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
machine = dict(l.split(": ", 1) for l in open(os.path.join(out, "machine.txt")).read().splitlines() if ": " in l)
rows = list(csv.DictReader(open(os.path.join(out, "runs.tsv")), delimiter="\t"))
proxies = [p for p in ("router", "router-nolog", "nginx") if any(r["proxy"] == p for r in rows)]
def mean(v): return sum(v) / len(v)
def ratio(a, b): return round(a / b, 2) if b else None
figures = []
for c in sorted({int(r["connections"]) for r in rows}):
    entry = {"connections": c}
    for proxy in proxies:
        rs = [r for r in rows if r["proxy"] == proxy and int(r["connections"]) == c]
        entry[proxy] = {
            "requestsPerSecond": round(mean([float(r["requests_per_s"]) for r in rs])),
            "okRequestsPerSecond": round(mean([float(r["ok_per_s"]) for r in rs])),
            "p50Ms": round(mean([float(r["p50_ms"]) for r in rs]), 3),
            "p99Ms": round(mean([float(r["p99_ms"]) for r in rs]), 3),
            "failed": sum(int(r["failed"]) for r in rs),
            "rounds": [{k: r[k] for k in ("round", "requests_per_s", "ok_per_s", "p50_ms", "p99_ms", "failed")} for r in rs],
        }
    n = entry["nginx"]
    for proxy in proxies:
        if proxy != "nginx":
            r = entry[proxy]
            key = "ratio" if proxy == "router" else "ratioNoAccessLog"
            entry[key] = {"requestsPerSecond": ratio(r["okRequestsPerSecond"], n["okRequestsPerSecond"]),
                          "p50": ratio(r["p50Ms"], n["p50Ms"]), "p99": ratio(r["p99Ms"], n["p99Ms"])}
    figures.append(entry)
summary = {
    "what": "the router (access log on, and off) beside nginx as a reverse proxy to the same 3 static-httpd processes, wrk on 127.0.0.1",
    "router": machine.get("router"), "code": machine.get("code"), "date": machine.get("date"),
    "machine": {k: machine.get(k) for k in ("cores", "memory", "os", "java", "nginx", "wrk", "load before", "load after")},
    "method": {"path": "/index.html", "host": "bench.stratos.local", "secondsPerRun": seconds, "warmupSeconds": warmup,
               "rounds": rounds, "order": "router, router-nolog, nginx in odd rounds; the reverse in even rounds", "wrkThreads": 1,
               "backends": endpoints.split(), "backendCpuMax": cpumax,
               "nginx": "least_conn, keepalive 64, proxy_http_version 1.1, Connection \"\", worker_processes auto, access_log off"},
    "ratioNotes": "router/nginx of the means over the rounds: requestsPerSecond counts answers with a 2xx only; p50 and p99 are wrk's over every answer",
    "figures": figures,
}
json.dump(summary, open(os.path.join(out, "summary.json"), "w"), indent=2)
# summary-fragment.json: the headline at 16 connections, then every connection count, with the access log on and off
folder = "benchmarks/results/" + os.path.basename(out)
day = (machine.get("date") or "")[:10]
fragment = {}
def put(key, value, baseline, unit, what, baseline_what):
    fragment[key] = {"value": value, "baseline": baseline, "ratio": ratio(value, baseline), "unit": unit, "date": day,
                     "what": what, "baseline_what": baseline_what, "results": folder}
for f in sorted(figures, key=lambda f: f["connections"] != 16):
    c, n = f["connections"], f["nginx"]
    for proxy, suffix, label in (("router", "", "access log on"), ("router-nolog", "_nolog", "access log off")):
        if proxy not in f:
            continue
        r = f[proxy]
        keys = ["router%s_rps_vs_nginx_%dc" % (suffix, c)] + (["router%s_rps_vs_nginx" % suffix] if c == 16 else [])
        for key in keys:
            put(key, r["okRequestsPerSecond"], n["okRequestsPerSecond"], "requests/s",
                "router (%s) requests/s with a 2xx, wrk %d connections, 3 uncapped static-httpd backends" % (label, c),
                "nginx as reverse proxy to the same backends, same run")
        keys = ["router%s_p99_vs_nginx_%dc" % (suffix, c)] + (["router%s_p99_vs_nginx" % suffix] if c == 16 else [])
        for key in keys:
            put(key, r["p99Ms"], n["p99Ms"], "ms",
                "router (%s) p99 latency, wrk %d connections" % (label, c), "nginx p99, same backends, same run")
json.dump(fragment, open(os.path.join(out, "summary-fragment.json"), "w"), indent=2)
lines = ["# Router beside nginx, same 3 backends (" + os.path.basename(out) + ")", "",
         "Router measured: **" + str(machine.get("router")) + "** at " + str(machine.get("code")) + ".", "",
         "```", open(os.path.join(out, "machine.txt")).read().strip(), "```", "",
         f"wrk -t1 --latency, GET /index.html with `Host: bench.stratos.local`, {seconds} s per run after a {warmup} s warm-up at the same "
         f"connection count, {rounds} rounds (router, router without access log, nginx in odd rounds, the reverse in even ones); means over the rounds. "
         f"Backends: 3 static-httpd processes on one local VM ({' '.join(endpoints.split())}), cgroup cpu.max `{cpumax}`. "
         "nginx: see nginx.conf beside this file.", "",
         "| connections | proxy | req/s (2xx) | ratio req/s | p50 ms | p99 ms | ratio p99 | failed |",
         "|---|---|---|---|---|---|---|---|"]
for f in figures:
    n = f["nginx"]
    for proxy in proxies:
        r = f[proxy]
        label = {"router": "router, access log on", "router-nolog": "router, access log off", "nginx": "nginx"}[proxy]
        lines.append(f"| {f['connections']} | {label} | {r['okRequestsPerSecond']:,} | {ratio(r['okRequestsPerSecond'], n['okRequestsPerSecond'])} | "
                     f"{r['p50Ms']} | {r['p99Ms']} | {ratio(r['p99Ms'], n['p99Ms'])} | {r['failed']} |")
lines += ["", "Each run: runs.tsv; wrk's own output: wrk.log; the headline ratios: summary-fragment.json.", "",
          "What the backends are: busybox httpd forks a process per connection and closes it after one answer, so neither proxy",
          "reuses an upstream connection (nginx's keepalive 64 finds none to keep), and it listens with a backlog of 9: with",
          "many connections at once, SYNs to a backend are dropped and retried after 1 s, which both proxies' p99 shows."]
open(os.path.join(out, "README.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
say "results in $OUTDIR"

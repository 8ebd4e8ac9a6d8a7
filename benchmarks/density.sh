#!/usr/bin/env bash
# Density: how many idle static-httpd processes fit one VM, and what each costs. Starts a controller with one
# local VM (an agent distribution) and scales one static-httpd subscription up in steps; after each step it waits
# until every process is RUNNING, lets the machine settle, and measures the host's MemAvailable, the PSS of the
# containers' processes, their cgroups' memory and the agent JVM's RSS. Then, in the same run, the baseline:
# the same image rootfs started by plain lxc-start (overlay, host network, no limits, no agent), stepped alike.
# Per-process costs and start times are printed side by side with the ratio agent/raw.
#   density.sh <controller dist tar.gz> <out dir>
# Env: DENSITY_STEPS ("25 50 100 200 400 800"), DENSITY_MAX (800; at most 999: a subscription's and a slot's limit),
#      DENSITY_FLOOR_MIB (4096: stop before MemAvailable falls under it), DENSITY_STEP_TIMEOUT (seconds, 600),
#      DENSITY_PORT_BASE (24000: the VM's slot and the raw containers' ports), DENSITY_BRIDGE / DENSITY_SUBNET
#      (stratos-densbr0, 10.213.176.0/20). QUICK=1: steps 10 25.
# Every container it starts is removed on exit, whatever happens.
set -euo pipefail
DIST=${1:?controller distribution tar.gz}
OUT=${2:?output directory}
STEPS=${DENSITY_STEPS:-"25 50 100 200 400 800"}
[ -n "${QUICK:-}" ] && STEPS=${DENSITY_STEPS:-"10 25"}
MAX=${DENSITY_MAX:-800}
FLOOR=${DENSITY_FLOOR_MIB:-4096}
STEP_TIMEOUT=${DENSITY_STEP_TIMEOUT:-600}
PORT_BASE=${DENSITY_PORT_BASE:-24000}
BRIDGE=${DENSITY_BRIDGE:-stratos-densbr0}
SUBNET=${DENSITY_SUBNET:-10.213.176.0/20}
: "${JAVA_HOME:=$(ls -d /usr/lib/jvm/java-17-openjdk-* | head -n1)}"; export JAVA_HOME
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/stratos-bench-density-XXXX)
chmod 755 "$WORK"
CTL="$WORK/controller"
RAW="$WORK/raw"
say() { printf '[density] %s\n' "$*" >&2; }

. "$(dirname "$0")/lib.sh"

cleanup() {
  local rc=$?
  set +e
  say "cleaning up"
  if [ -d "$RAW" ]; then
    for name in $(lxc-ls -P "$RAW" -1 2>/dev/null); do lxc-stop -P "$RAW" -n "$name" -k >/dev/null 2>&1; lxc-destroy -P "$RAW" -n "$name" -f >/dev/null 2>&1; done
  fi
  for vm in "$CTL"/data/iaas-local/*/; do
    [ -f "$vm/pid" ] && kill -9 "$(cat "$vm/pid")" 2>/dev/null
    [ -x "$vm/home/bin/stratos-agent-cleanup" ] && "$vm/home/bin/stratos-agent-cleanup" "$vm/agent-data" "$(basename "$vm")"
  done
  [ -f "$CTL/karaf.pid" ] && kill -9 "$(cat "$CTL/karaf.pid")" 2>/dev/null
  # Whatever still runs under this work directory (each container has an "[lxc monitor] <lxcpath> <name>" process):
  # stop it before its directory goes, or it would outlive this script.
  ps -eo args | awk -v w="$WORK" '$1 == "[lxc" && $2 == "monitor]" && index($3, w) == 1 {print $3, $4}' |
    while read -r path name; do lxc-stop -P "$path" -n "$name" -k >/dev/null 2>&1; lxc-destroy -P "$path" -n "$name" -f >/dev/null 2>&1; done
  # the bridge, once nothing is attached to it
  if ip link show "$BRIDGE" >/dev/null 2>&1 && [ -z "$(ls /sys/class/net/"$BRIDGE"/brif 2>/dev/null)" ]; then ip link del "$BRIDGE"; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

mem_available_mib() { awk '/MemAvailable/{print int($2/1024)}' /proc/meminfo; }
# kernel memory that is not page cache and not reclaimable: unreclaimable slab, kernel stacks, page tables (KiB).
# Less disturbed by other programs than MemAvailable; what network namespaces, veths and cgroups cost lands here.
kernel_kib() { awk '/^SUnreclaim:|^KernelStack:|^PageTables:/{s+=$2} END{print s}' /proc/meminfo; }
# PSS (KiB) of every process in a container's cgroup (v1 memory controller, or v2)
container_pss_kib() {
  local procs sum=0 pid
  for procs in "/sys/fs/cgroup/memory/lxc.payload.$1/cgroup.procs" "/sys/fs/cgroup/lxc.payload.$1/cgroup.procs"; do
    [ -f "$procs" ] || continue
    for pid in $(cat "$procs"); do
      sum=$(( sum + $(awk '/^Pss:/{print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0) ))
    done
    echo "$sum"; return
  done
  echo 0
}
container_cgroup_kib() {
  local f
  for f in "/sys/fs/cgroup/memory/lxc.payload.$1/memory.usage_in_bytes" "/sys/fs/cgroup/lxc.payload.$1/memory.current"; do
    [ -f "$f" ] && { echo $(( $(cat "$f") / 1024 )); return; }
  done
  echo 0
}
sum_over() { # lxcpath -> "pss_kib cgroup_kib count"
  local pss=0 cg=0 n=0 name
  for name in $(lxc-ls -P "$1" --running -1 2>/dev/null); do
    pss=$(( pss + $(container_pss_kib "$name") )); cg=$(( cg + $(container_cgroup_kib "$name") )); n=$((n + 1))
  done
  echo "$pss $cg $n"
}
settle() { sync; sleep "${DENSITY_SETTLE:-5}"; }

# --- the controller and its one VM --------------------------------------------------------------------------
controller_unpack "$DIST"
say "controller on 127.0.0.1:$HTTP; VM slot from port $PORT_BASE; bridge $BRIDGE $SUBNET"
setcfg io.stratos.lxc.iaas.local.cfg portRangeStart "$PORT_BASE"
setcfg io.stratos.lxc.iaas.local.cfg portsPerVm 1000
setcfg io.stratos.lxc.iaas.local.cfg maxVms 1
(cd "$CTL" && STRATOS_AGENT_BRIDGE="$BRIDGE" STRATOS_AGENT_BRIDGE_SUBNET="$SUBNET" setsid bin/karaf daemon > console.log 2>&1 < /dev/null &)
controller_await
mem_before=$(mem_available_mib)
fail() { say "$1"; say "controller log: $(grep -E 'ERROR|WARN' "$CTL/data/log/karaf.log" | tail -5)"; exit 1; }
expect() { # status method url body
  local got; got=$(curl_api -o "$WORK/answer" -w '%{http_code}' -X "$2" "$3" ${4:+-d "$4"})
  [ "$got" = "$1" ] || fail "$2 $3: $got $(cat "$WORK/answer")"
}
expect 201 POST "$API/partitions" "{\"name\":\"density\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1,\"vmCapacity\":{\"cpuMillis\":1000000,\"memoryMiB\":1048576}}"
for _ in $(seq 1 600); do curl_api "$API/vms" | grep -q '"READY"' && break; sleep 0.5; done
curl_api "$API/vms" | grep -q '"READY"' || fail "no READY VM: $(curl_api "$API/vms")"
VM=$(curl_api "$API/vms" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
VMDIR="$CTL/data/iaas-local/$VM"; LXCPATH="$VMDIR/agent-data/containers"
AGENT_PID=$(cat "$VMDIR/pid")
expect 201 POST "$API/subscriptions" "{\"alias\":\"density\",\"cartridge\":\"static-httpd\",\"minProcesses\":1,\"maxProcesses\":1000}"
# the first process fetches and unpacks the image: not part of any step
for _ in $(seq 1 600); do [ "$(curl_api "$API/subscriptions/density/processes" | grep -o '"RUNNING"' | wc -l)" = 1 ] && break; sleep 0.5; done
[ "$(curl_api "$API/subscriptions/density/processes" | grep -o '"RUNNING"' | wc -l)" = 1 ] || fail "the first process is not RUNNING: $(curl_api "$API/subscriptions/density/processes")"
settle
agent_rss() { awk '/VmRSS/{print int($2/1024)}' "/proc/$AGENT_PID/status"; }
mem0=$(mem_available_mib); rss0=$(agent_rss); k0=$(kernel_kib); read -r pss0 cg0 _ < <(sum_over "$LXCPATH")
say "agent ready with 1 process: MemAvailable $mem0 MiB, agent RSS $rss0 MiB"

AGENT_ROWS=(); reached=1; prev=1; stop_reason="all steps done"
for n in $STEPS; do
  [ "$n" -gt "$MAX" ] && { stop_reason="DENSITY_MAX=$MAX"; break; }
  if [ "$(mem_available_mib)" -lt $(( FLOOR + 512 )) ]; then stop_reason="MemAvailable near the floor ($FLOOR MiB)"; break; fi
  t0=$(date +%s%N)
  curl_api -X PUT "$API/subscriptions/density/scale" -d "{\"processes\":$n}" >/dev/null
  ok=0
  for _ in $(seq 1 $(( STEP_TIMEOUT * 4 ))); do
    procs=$(curl_api "$API/subscriptions/density/processes")
    running=$(grep -o '"RUNNING"' <<< "$procs" | wc -l)
    [ "$running" = "$n" ] && { ok=1; break; }
    if [ "$(mem_available_mib)" -lt "$FLOOR" ]; then break; fi
    sleep 0.25
  done
  t1=$(date +%s%N)
  if [ $ok != 1 ]; then stop_reason="step $n: only $running RUNNING after $(( (t1 - t0) / 1000000000 )) s ($(grep -o '"FAILED"' <<< "$procs" | wc -l) FAILED; MemAvailable $(mem_available_mib) MiB)"; break; fi
  settle
  mem=$(mem_available_mib); rss=$(agent_rss); k=$(kernel_kib); read -r pss cg count < <(sum_over "$LXCPATH")
  ms=$(( (t1 - t0) / 1000000 ))
  AGENT_ROWS+=("$n $ms $(( n - prev )) $mem $rss $pss $cg $count $k")
  say "agent: $n RUNNING (+$(( n - prev )) in $ms ms): MemAvailable $mem MiB, agent RSS $rss MiB, containers PSS $(( pss / 1024 )) MiB, cgroups $(( cg / 1024 )) MiB"
  reached=$n; prev=$n
done
DIGEST_DIR=$(ls -d "$VMDIR"/agent-data/images/*/rootfs | head -n1)
ROOTFS_COPY="$WORK/rootfs"; cp -a "$DIGEST_DIR" "$ROOTFS_COPY"
say "agent part: reached $reached ($stop_reason); removing the subscription and the VM"
curl_api -X DELETE "$API/subscriptions/density" >/dev/null
curl_api -X DELETE "$API/partitions/density" >/dev/null
for _ in $(seq 1 240); do [ -d "$VMDIR" ] || break; sleep 0.5; done
kill "$(cat "$CTL/karaf.pid")" 2>/dev/null || true
settle

# --- the baseline: plain lxc-start of the same rootfs, same steps up to what the agent reached --------------
mkdir -p "$RAW"
raw_start() { # index
  local name="stratos-bench-dens$1" port=$(( PORT_BASE + $1 ))
  mkdir -p "$RAW/$name"
  cat > "$RAW/$name/config" <<CFG
lxc.uts.name = $name
lxc.rootfs.path = overlay:$ROOTFS_COPY:$RAW/$name/upper
lxc.apparmor.profile = unconfined
lxc.mount.auto = proc:mixed sys:ro cgroup:mixed
lxc.autodev = 1
lxc.net.0.type = none
lxc.signal.halt = SIGKILL
lxc.environment = PORT=$port
lxc.environment = BIND_ADDRESS=127.0.0.1
lxc.init.cmd = /bin/start-httpd
CFG
  lxc-start -P "$RAW" -n "$name" -d
}
raw_start 0; sleep 0.5
mem0_raw=$(mem_available_mib); rk0=$(kernel_kib); read -r rpss0 rcg0 _ < <(sum_over "$RAW")
RAW_ROWS=(); prev=1
for n in $STEPS; do
  [ "$n" -gt "$reached" ] && break
  t0=$(date +%s%N)
  for i in $(seq "$prev" $(( n - 1 ))); do raw_start "$i"; done
  for i in $(seq "$prev" $(( n - 1 ))); do
    for _ in $(seq 1 400); do curl -s -o /dev/null "http://127.0.0.1:$(( PORT_BASE + i ))/" && break; sleep 0.05; done
  done
  t1=$(date +%s%N)
  settle
  mem=$(mem_available_mib); k=$(kernel_kib); read -r pss cg count < <(sum_over "$RAW")
  ms=$(( (t1 - t0) / 1000000 ))
  RAW_ROWS+=("$n $ms $(( n - prev )) $mem 0 $pss $cg $count $k")
  say "raw: $n running (+$(( n - prev )) in $ms ms): MemAvailable $mem MiB, containers PSS $(( pss / 1024 )) MiB"
  prev=$n
done

# --- results --------------------------------------------------------------------------------------------------
python3 - "$OUT" "$mem_before" "$mem0" "$rss0" "$pss0" "$cg0" "$mem0_raw" "$rpss0" "$rcg0" "$reached" "$stop_reason" "$FLOOR" "$k0" "$rk0" \
  "$(printf '%s;' "${AGENT_ROWS[@]}")" "$(printf '%s;' "${RAW_ROWS[@]}")" <<'PY'
import json, sys, os, platform
(out, mem_before, mem0, rss0, pss0, cg0, mem0_raw, rpss0, rcg0, reached, stop, floor, k0, rk0, arows, rrows) = sys.argv[1:]
mem_before, mem0, rss0, pss0, cg0, mem0_raw, rpss0, rcg0, reached, floor, k0, rk0 = map(int, (mem_before, mem0, rss0, pss0, cg0, mem0_raw, rpss0, rcg0, reached, floor, k0, rk0))
def rows(text, mem_base, pss_base, cg_base, kernel_base, rss_base):
    result = []
    for r in filter(None, text.split(";")):
        n, ms, added, mem, rss, pss, cg, count, kern = map(int, r.split())
        k = n - 1  # processes beyond the first, which both baselines include
        result.append({"processes": n, "added": added, "stepMs": ms, "startMsPerProcess": round(ms / added, 1),
                       "memAvailableMiB": mem, "memPerProcessMiB": round((mem_base - mem) / k, 3) if k else None,
                       "pssPerProcessKiB": round((pss - pss_base) / k, 1) if k else None,
                       "cgroupPerProcessKiB": round((cg - cg_base) / k, 1) if k else None,
                       "kernelPerProcessKiB": round((kern - kernel_base) / k, 1) if k else None,
                       "agentRssPerProcessKiB": round((rss - rss_base) * 1024 / k, 1) if k and rss else None,
                       "agentRssMiB": rss or None, "containersRunning": count})
    return result
agent = rows(arows, mem0, pss0, cg0, k0, rss0)
raw = rows(rrows, mem0_raw, rpss0, rcg0, rk0, 0)
by_n = {r["processes"]: r for r in raw}
table = []
for a in agent:
    r = by_n.get(a["processes"])
    ratio = lambda key: round(a[key] / r[key], 2) if r and r.get(key) else None
    table.append({"processes": a["processes"], "agent": a, "raw": r,
                  "ratio": {"memPerProcess": ratio("memPerProcessMiB"), "pssPerProcess": ratio("pssPerProcessKiB"),
                            "startPerProcess": ratio("startMsPerProcess")}})
last = agent[-1] if agent else None
fit = None
cost_kib = None
if last and last["cgroupPerProcessKiB"] is not None:
    # per process: its cgroup (pages, page cache, charged kernel memory) + uncharged kernel memory + the agent's
    # growth; an upper bound (kernel memory may be counted twice), steadier than MemAvailable on a shared machine
    cost_kib = last["cgroupPerProcessKiB"] + max(0, last["kernelPerProcessKiB"] or 0) + max(0, last["agentRssPerProcessKiB"] or 0)
    fit = int((mem0 - floor) * 1024 / cost_kib)
result = {"machine": {"host": platform.node(), "cores": os.cpu_count(),
                      "memTotalMiB": int(open("/proc/meminfo").readline().split()[1]) // 1024,
                      "loadBefore": open("/proc/loadavg").read().split()[:3]},
          "memAvailableBeforeControllerMiB": mem_before, "agentBaseline": {"memAvailableMiB": mem0, "agentRssMiB": rss0},
          "rawBaseline": {"memAvailableMiB": mem0_raw}, "reached": reached, "stopReason": stop, "floorMiB": floor,
          "costPerProcessKiB": cost_kib, "estimatedFitByMemory": fit, "steps": table}
json.dump(result, open(os.path.join(out, "density.json"), "w"), indent=2)
lines = ["## Density: idle static-httpd processes on one VM (agent vs plain lxc-start, same run)", "",
         f"Reached {reached} processes ({stop}). Per-process figures are against the state with one process running; "
         "MemAvailable counts everything a process costs the host (kernel: cgroups, veth, network namespace, overlay; "
         "agent: its JVM's growth); PSS counts only the container's own processes.", "",
         "MemAvailable is the host's (noisy on a shared machine: other programs allocate too; large steps amortize it); "
         "cgroup is what the kernel charges to the containers' memory cgroups (their pages, page cache, kernel memory).", "",
         "| processes | start ms/process: agent / raw (ratio) | MemAvailable MiB/process: agent / raw (ratio) | PSS KiB/process: agent / raw (ratio) | cgroup KiB/process: agent / raw | kernel KiB/process: agent / raw | agent JVM RSS MiB (KiB/process) |",
         "|---|---|---|---|---|---|---|"]
fmt = lambda v: "-" if v is None else v
for row in table:
    a, r, q = row["agent"], row["raw"] or {}, row["ratio"]
    lines.append(f"| {row['processes']} | {a['startMsPerProcess']} / {fmt(r.get('startMsPerProcess'))} ({fmt(q['startPerProcess'])}) "
                 f"| {fmt(a['memPerProcessMiB'])} / {fmt(r.get('memPerProcessMiB'))} ({fmt(q['memPerProcess'])}) "
                 f"| {fmt(a['pssPerProcessKiB'])} / {fmt(r.get('pssPerProcessKiB'))} ({fmt(q['pssPerProcess'])}) "
                 f"| {fmt(a['cgroupPerProcessKiB'])} / {fmt(r.get('cgroupPerProcessKiB'))} "
                 f"| {fmt(a['kernelPerProcessKiB'])} / {fmt(r.get('kernelPerProcessKiB'))} | {a['agentRssMiB']} ({fmt(a['agentRssPerProcessKiB'])}) |")
if fit:
    lines += ["", f"Cost of one more idle process through the agent at {last['processes']}: about {cost_kib:.0f} KiB (its cgroup "
                  f"+ kernel memory + the agent's growth, an upper bound). By memory alone, one VM like this one (MemAvailable "
                  f"{mem0} MiB with the agent running, keeping {floor} MiB free) holds about {fit:,} idle static-httpd processes; "
                  "the agent's own limits come first: ports per VM (portsPerVm), the bridge subnet, a subscription's 1,000 processes."]
open(os.path.join(out, "density.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY

#!/usr/bin/env bash
# A local VM as a network host of its own (network = namespace: its own netns, address and agent on the adapter's
# bridge) beside the same VM on the host's network (network = host: processes published on 127.0.0.1), in one run:
#   - VM boot: POST /partitions to its VM READY, VM_NET_BOOTS times per mode (3), median;
#   - routing: latency through the router to one static-httpd process on that VM, wrk with one connection for
#     VM_NET_SECONDS (15) after a warm-up, p50 and p99 (no request may fail); with 16 connections, requests/s
#     and how many failed (the router sheds load when the one process behind it falls behind).
# Modes alternate (namespace, host, namespace, host ... VM_NET_ROUNDS rounds, 2) so drift of the shared machine hits
# both. Traffic goes to 127.0.0.1 (the router) and, from the router, to the adapter's own bridge subnet only.
#   vm-network.sh <controller dist tar.gz> <out json>
set -euo pipefail
DIST=${1:?controller distribution tar.gz}
OUT=${2:?output json}
BOOTS=${VM_NET_BOOTS:-3}
SECONDS_RUN=${VM_NET_SECONDS:-15}
ROUNDS=${VM_NET_ROUNDS:-2}
PORT_BASE=${VM_NET_PORT_BASE:-25000}
: "${JAVA_HOME:=$(ls -d /usr/lib/jvm/java-17-openjdk-* | head -n1)}"; export JAVA_HOME
command -v wrk > /dev/null || { echo "wrk is missing: scripts/host-setup.sh --bench installs it" >&2; exit 1; }
WORK=$(mktemp -d /tmp/stratos-bench-vm-network-XXXX)
chmod 755 "$WORK" # unprivileged containers traverse it to their rootfs
say() { printf '[vm-network] %s\n' "$*" >&2; }
. "$(dirname "$0")/lib.sh"
now_ms() { date +%s%3N; }
CTL=""

cleanup() {
  local rc=$?
  set +e
  # a failed run deletes its partitions through the API first, so the adapter removes namespaces and veths
  [ -n "$CTL" ] && curl -s -u karaf:karaf -X DELETE "$API/partitions/bench" > /dev/null
  sleep 3
  stop_controller
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

start_controller() { # mode
  CTL="$WORK/controller-$1"
  controller_unpack "$DIST"
  setcfg io.stratos.lxc.iaas.local.cfg portRangeStart "$PORT_BASE"
  setcfg io.stratos.lxc.iaas.local.cfg network "$1"
  # a bridge and subnet of its own (not those of a controller ./stratos up started), and HTTP on 127.0.0.1 only,
  # as ./stratos up has it, so the namespaced VMs reach the controller through the adapter's relay
  setcfg io.stratos.lxc.iaas.local.cfg vmBridge stratosvmb
  setcfg io.stratos.lxc.iaas.local.cfg vmSubnet 10.218.0.0/24
  setcfg org.ops4j.pax.web.cfg org.ops4j.pax.web.listening.addresses 127.0.0.1
  (cd "$CTL" && STRATOS_AGENT_RUNTIMES=lxc setsid bin/karaf daemon > console.log 2>&1 < /dev/null &)
  controller_await
  say "controller ($1) on 127.0.0.1:$HTTP, router 127.0.0.1:$ROUTER"
}
vm_field() { curl_api "$API/vms" | python3 -c "import json,sys; v=[x for x in json.load(sys.stdin) if x['partition']=='bench']; print(v[0].get('$1') if v else '')"; }

boot_once() { # prints ms from POST /partitions to the VM READY
  local t0 t1
  t0=$(now_ms)
  answer=$(curl_api -w ' %{http_code}' -X POST "$API/partitions" -d '{"name":"bench","cartridge":"static-httpd","minVms":1,"maxVms":1}')
  [ "${answer##* }" = 201 ] || { say "POST /partitions: $answer"; exit 1; }
  for _ in $(seq 1 3000); do [ "$(vm_field state)" = READY ] && break; sleep 0.02; done
  t1=$(now_ms)
  [ "$(vm_field state)" = READY ] || { say "VM not READY: $(curl_api "$API/vms")"; exit 1; }
  echo $(( t1 - t0 ))
}

delete_partition() {
  curl_api -X DELETE "$API/partitions/bench" > /dev/null
  for _ in $(seq 1 600); do [ "$(curl_api "$API/vms" | grep -c '"bench"')" = 0 ] && break; sleep 0.1; done
}

wrk_run() { # connections -> "p50_ms p99_ms requests_per_s errors" (errors: non-2xx answers and socket errors)
  wrk -t1 -c"$1" -d"${SECONDS_RUN}s" --latency -H "Host: bench.stratos.local" "http://127.0.0.1:$ROUTER/" > "$WORK/wrk.txt"
  cat "$WORK/wrk.txt" >&2
  python3 - "$WORK/wrk.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s*" + label + r"%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(int(g) for g in sockets.groups()) if sockets else 0)
print(f"{ms('50'):.3f} {ms('99'):.3f} {rps:.0f} {errors}")
PY
}

declare -A BOOT P50 P99 RPS ERR16 ENDPOINT
for round in $(seq 1 "$ROUNDS"); do
  for mode in namespace host; do
    start_controller "$mode"
    for i in $(seq 1 "$BOOTS"); do
      ms=$(boot_once); say "$mode round $round boot $i: $ms ms"
      BOOT[$mode]="${BOOT[$mode]:-} $ms"
      [ "$i" -lt "$BOOTS" ] && delete_partition
    done
    address=$(vm_field address)
    answer=$(curl_api -w ' %{http_code}' -X POST "$API/subscriptions" -d '{"alias":"bench","cartridge":"static-httpd","minProcesses":1,"maxProcesses":1}')
    [ "${answer##* }" = 201 ] || { say "POST /subscriptions: $answer"; exit 1; }
    for _ in $(seq 1 600); do curl_api "$API/subscriptions/bench/processes" | grep -q '"RUNNING"' && break; sleep 0.2; done
    endpoint=$(curl_api "$API/subscriptions/bench/processes" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['endpoint'])")
    say "$mode: VM address $address, process endpoint $endpoint"
    ENDPOINT[$mode]=$endpoint
    curl -s -o /dev/null -w '%{http_code}' -H "Host: bench.stratos.local" "http://127.0.0.1:$ROUTER/" | grep -q 200 || { say "router does not reach $endpoint"; exit 1; }
    wrk -t1 -c4 -d3s -H "Host: bench.stratos.local" "http://127.0.0.1:$ROUTER/" > /dev/null # warm-up
    read -r p50 p99 _ errors1 < <(wrk_run 1)
    [ "$errors1" = 0 ] || { say "$errors1 failed requests with one connection: the latency figures would be wrong"; exit 1; }
    read -r _ _ rps errors16 < <(wrk_run 16)
    ERR16[$mode]="${ERR16[$mode]:-} $errors16"
    say "$mode round $round: p50 $p50 ms, p99 $p99 ms (1 connection); $rps requests/s, $errors16 failed (16 connections)"
    P50[$mode]="${P50[$mode]:-} $p50"; P99[$mode]="${P99[$mode]:-} $p99"; RPS[$mode]="${RPS[$mode]:-} $rps"
    curl_api -X DELETE "$API/subscriptions/bench" > /dev/null
    delete_partition
    if [ "$mode" = namespace ]; then
      # what the namespace itself costs a boot: the adapter logs how long making it took
      SETUP="${SETUP:-} $( (grep -ho 'network namespace .* ready in [0-9]* ms' "$CTL"/data/log/karaf.log || true) | grep -o '[0-9]* ms$' | tr -d ' ms' | tr '\n' ' ')"
      left=$( (ip netns list; ip -o link show) | grep -c "stratos-bench\|stratosvmb" || true)
      say "after deleting the partition: $left namespaces, veths or bridges of local VMs left"
    fi
    stop_controller
  done
done

python3 - "$OUT" <<PY
import json, sys
def nums(s): return [float(x) for x in s.split()]
def med(s):
    v = sorted(nums(s)); return v[(len(v) - 1) // 2]
ns = {"bootMs": nums("${BOOT[namespace]}"), "p50Ms": nums("${P50[namespace]}"), "p99Ms": nums("${P99[namespace]}"),
      "requestsPerSecond16": nums("${RPS[namespace]}"), "failed16": nums("${ERR16[namespace]}"), "endpoint": "${ENDPOINT[namespace]}"}
host = {"bootMs": nums("${BOOT[host]}"), "p50Ms": nums("${P50[host]}"), "p99Ms": nums("${P99[host]}"),
        "requestsPerSecond16": nums("${RPS[host]}"), "failed16": nums("${ERR16[host]}"), "endpoint": "${ENDPOINT[host]}"}
out = {
  "rounds": $ROUNDS, "bootsPerRound": $BOOTS, "wrkSeconds": $SECONDS_RUN,
  "namespace": ns, "host": host,
  "median": {
    "bootMs": {"namespace": med("${BOOT[namespace]}"), "host": med("${BOOT[host]}")},
    "p50Ms": {"namespace": med("${P50[namespace]}"), "host": med("${P50[host]}")},
    "p99Ms": {"namespace": med("${P99[namespace]}"), "host": med("${P99[host]}")},
    "requestsPerSecond16": {"namespace": med("${RPS[namespace]}"), "host": med("${RPS[host]}")},
  },
}
m = out["median"]
out["ratio"] = {"p50": round(m["p50Ms"]["namespace"] / m["p50Ms"]["host"], 2),
                "p99": round(m["p99Ms"]["namespace"] / m["p99Ms"]["host"], 2),
                "requestsPerSecond16": round(m["requestsPerSecond16"]["namespace"] / m["requestsPerSecond16"]["host"], 2)}
out["bootDifferenceMs"] = m["bootMs"]["namespace"] - m["bootMs"]["host"]
setup = nums("${SETUP:-}")
out["namespaceSetupMs"] = {"samples": setup, "median": med("${SETUP:-}") if setup else None}
json.dump(out, open(sys.argv[1], "w"), indent=2)
print(json.dumps(out, indent=2))
PY

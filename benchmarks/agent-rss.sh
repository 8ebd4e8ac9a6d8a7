#!/usr/bin/env bash
# Idle agent RSS as the local IaaS adapter launches it, beside the same agent distribution started on its own
# (standalone: no join token), and their ratio. A local VM's agent used to inherit the controller's environment
# (EXTRA_JAVA_OPTS="-Xms64m -Xmx512m ..."), so it ran with the controller's heap instead of its own small one.
# Starts a controller from the distribution with one partition of AGENT_RSS_VMS local VMs (2), waits until they are
# READY and idle for AGENT_RSS_IDLE seconds (30), reads each agent JVM's VmRSS; then boots the agent distribution
# shipped inside the controller's (agent/stratos-lxc-agent.tar.gz) on its own the same number of times, idle as long.
# The floor: the bare Karaf framework of that same distribution (featuresBoot = framework only), same JVM options
# (its bin/setenv), started and idle the same way.
#   agent-rss.sh <controller dist tar.gz> <out json>
set -euo pipefail
DIST=${1:?controller distribution tar.gz}
OUT=${2:?output json}
VMS=${AGENT_RSS_VMS:-2}
IDLE=${AGENT_RSS_IDLE:-30}
PORT_BASE=${AGENT_RSS_PORT_BASE:-25000}
: "${JAVA_HOME:=$(ls -d /usr/lib/jvm/java-17-openjdk-* | head -n1)}"; export JAVA_HOME
WORK=$(mktemp -d /tmp/stratos-bench-agent-rss-XXXX)
CTL="$WORK/controller"
say() { printf '[agent-rss] %s\n' "$*" >&2; }
. "$(dirname "$0")/lib.sh"

# Cleanup: the controller and its local VMs with what they left (namespaces, veths, bridge: lib.sh's stop_controller),
# then by pid the standalone agents and bare frameworks.
cleanup() {
  local rc=$?
  set +e
  stop_controller
  for f in "$WORK"/alone-*/karaf.pid "$WORK"/framework-*/karaf.pid; do
    [ -f "$f" ] && kill -9 -- "-$(cat "$f")" "$(cat "$f")" 2>/dev/null
  done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

rss_kib() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }

# --- as launched by the local adapter ------------------------------------------------------------------------
controller_unpack "$DIST"
setcfg io.stratos.lxc.iaas.local.cfg portRangeStart "$PORT_BASE"
say "controller on 127.0.0.1:$HTTP, $VMS local VMs from port $PORT_BASE"
(cd "$CTL" && setsid bin/karaf daemon > console.log 2>&1 < /dev/null &)
controller_await
answer=$(curl_api -w ' %{http_code}' -X POST "$API/partitions" \
  -d "{\"name\":\"rss\",\"cartridge\":\"static-httpd\",\"minVms\":$VMS,\"maxVms\":$VMS}")
[ "${answer##* }" = 201 ] || { say "POST /partitions: $answer"; exit 1; }
for _ in $(seq 1 600); do
  [ "$(curl_api "$API/vms" | grep -c '"READY"')" -ge "$VMS" ] && break; sleep 0.5
done
[ "$(curl_api "$API/vms" | grep -c '"READY"')" -ge "$VMS" ] || { say "VMs not READY: $(curl_api "$API/vms")"; exit 1; }
sleep "$IDLE"
adapter_rss=()
for f in "$CTL"/data/iaas-local/*/pid; do
  pid=$(cat "$f")
  adapter_rss+=("$(rss_kib "$pid")")
  opts=$(tr '\0' ' ' < "/proc/$pid/cmdline" | grep -oE -- '-Xm[sx][0-9]+[mg]' | tr '\n' ' ')
done
say "adapter-launched agents: RSS ${adapter_rss[*]} KiB; heap options: $opts"
cp "$CTL/agent/stratos-lxc-agent.tar.gz" "$WORK/agent.tar.gz"
stop_controller

# --- the distribution on its own -----------------------------------------------------------------------------
alone_rss=()
for i in $(seq 1 "$VMS"); do
  home="$WORK/alone-$i"; mkdir -p "$home"
  tar xzf "$WORK/agent.tar.gz" -C "$home" --strip-components=1
  (cd "$home" && env -i PATH="$PATH" HOME="$HOME" JAVA_HOME="$JAVA_HOME" STRATOS_AGENT_DATA_DIR="$home/agent-data" \
     STRATOS_AGENT_SSH_PORT="$(free_port)" setsid bin/karaf daemon > console.log 2>&1 < /dev/null &)
  for _ in $(seq 1 600); do grep -q "Stratos agent ready" "$home/data/log/karaf.log" 2>/dev/null && break; sleep 0.1; done
  sleep "$IDLE"
  alone_rss+=("$(rss_kib "$(cat "$home/karaf.pid")")")
  kill -9 "$(cat "$home/karaf.pid")"
done
say "agents on their own: RSS ${alone_rss[*]} KiB"

# --- the bare framework of the same distribution: the floor -----------------------------------------------------
framework_rss=()
for i in $(seq 1 "$VMS"); do
  home="$WORK/framework-$i"; mkdir -p "$home"
  tar xzf "$WORK/agent.tar.gz" -C "$home" --strip-components=1
  sed -i -z 's/featuresBoot = \\\n[^=]*framework\/\([0-9.]*\)[^=]*featuresBootAsynchronous/featuresBoot = framework\/\1\n\nfeaturesBootAsynchronous/' "$home/etc/org.apache.karaf.features.cfg"
  (cd "$home" && env -i PATH="$PATH" HOME="$HOME" JAVA_HOME="$JAVA_HOME" setsid bin/karaf daemon > console.log 2>&1 < /dev/null &)
  for _ in $(seq 1 600); do grep -q "Setting startlevel to 100" "$home/data/log/karaf.log" 2>/dev/null && break; sleep 0.1; done
  sleep "$IDLE"
  framework_rss+=("$(rss_kib "$(cat "$home/karaf.pid")")")
  kill -9 "$(cat "$home/karaf.pid")"
done
say "bare frameworks: RSS ${framework_rss[*]} KiB"

am=$(printf '%s\n' "${adapter_rss[@]}" | median); lm=$(printf '%s\n' "${alone_rss[@]}" | median)
fm=$(printf '%s\n' "${framework_rss[@]}" | median)
cat > "$OUT" <<JSON
{"vms": $VMS, "idleSeconds": $IDLE, "adapterLaunchedRssMiB": $(( am / 1024 )), "aloneRssMiB": $(( lm / 1024 )),
 "ratio": $(awk "BEGIN{printf \"%.2f\", $am/$lm}"), "adapterLaunchedHeapOptions": "$(echo "$opts" | xargs)",
 "frameworkRssMiB": $(( fm / 1024 )), "ratioToFramework": $(awk "BEGIN{printf \"%.2f\", $am/$fm}"),
 "adapterLaunchedRssKiB": [$(IFS=,; echo "${adapter_rss[*]}")], "aloneRssKiB": [$(IFS=,; echo "${alone_rss[*]}")],
 "frameworkRssKiB": [$(IFS=,; echo "${framework_rss[*]}")]}
JSON
cat "$OUT"

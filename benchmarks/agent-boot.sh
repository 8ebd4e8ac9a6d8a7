#!/usr/bin/env bash
# Agent distribution: cold boot to "Stratos agent ready" and idle RSS (standalone: no join token), five
# runs each, beside the bare Karaf framework of the same distribution (featuresBoot = framework only,
# ready at "Setting startlevel to 100") as the baseline. Also the same agent with its optional Docker runtime
# booted (featuresBoot += stratos-agent-docker: docker-java loaded, as every VM had it before the runtime became a
# feature), ready once the Docker runtime is added. Same JVM options (the distribution's bin/setenv) throughout.
# Writes JSON to $2.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
DIST=${1:?agent distribution tar.gz}
OUT=${2:?output json}
RUNS=${RUNS:-5}
WORK=$(mktemp -d /tmp/stratos-bench-agent-XXXX)
# Cleanup by pid: each boot records its JVM's pid in karaf.pid; kill only those.
cleanup() {
  local rc=$?
  for f in "$WORK"/*/karaf.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true; done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
: "${JAVA_HOME:=$(ls -d /usr/lib/jvm/java-17-openjdk-* | head -n1)}"; export JAVA_HOME


# boot <dir> <log regex>: seconds from launch to the log line, then RSS (KiB) after 5 s idle
boot() {
  local home=$1 regex=$2 t0 t1 pid rss
  t0=$(date +%s%N)
  # the agent's ssh on a free port of 127.0.0.1, not on its default 8102 that something else may hold
  (cd "$home" && STRATOS_AGENT_DATA_DIR="$home/agent-data" STRATOS_AGENT_SSH_PORT=$(free_port) setsid bin/karaf daemon > console.log 2>&1 < /dev/null &)
  local found=""
  for _ in $(seq 1 3000); do
    grep -qE "$regex" "$home/data/log/karaf.log" 2>/dev/null && { found=1; break; }
    sleep 0.01
  done
  t1=$(date +%s%N)
  [ -n "$found" ] || { echo "no '$regex' in $home/data/log/karaf.log within the wait" >&2; exit 1; }
  sleep 5
  pid=$(cat "$home/karaf.pid")
  rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
  kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  echo "$(( (t1 - t0) / 1000000 )) $rss"
}


agent_ms=(); agent_rss=(); fw_ms=(); fw_rss=(); dk_ms=(); dk_rss=()
for i in $(seq 1 "$RUNS"); do
  a="$WORK/agent-$i"; f="$WORK/framework-$i"; d="$WORK/docker-$i"
  mkdir -p "$a" "$f" "$d"
  tar xzf "$DIST" -C "$a" --strip-components=1
  tar xzf "$DIST" -C "$f" --strip-components=1
  tar xzf "$DIST" -C "$d" --strip-components=1
  sed -i -z 's/featuresBoot = \\\n[^=]*framework\/\([0-9.]*\)[^=]*featuresBootAsynchronous/featuresBoot = framework\/\1\n\nfeaturesBootAsynchronous/' "$f/etc/org.apache.karaf.features.cfg"
  sed -i -z 's/featuresBoot = \\\n/featuresBoot = \\\n    stratos-agent-docker, \\\n/' "$d/etc/org.apache.karaf.features.cfg"
  read -r ms rss < <(boot "$a" "Stratos agent ready"); agent_ms+=("$ms"); agent_rss+=("$rss")
  read -r ms rss < <(boot "$f" "Setting startlevel to 100"); fw_ms+=("$ms"); fw_rss+=("$rss")
  read -r ms rss < <(boot "$d" "Runtime docker added"); dk_ms+=("$ms"); dk_rss+=("$rss")
done
am=$(printf '%s\n' "${agent_ms[@]}" | median); ar=$(printf '%s\n' "${agent_rss[@]}" | median)
fm=$(printf '%s\n' "${fw_ms[@]}" | median); fr=$(printf '%s\n' "${fw_rss[@]}" | median)
dm=$(printf '%s\n' "${dk_ms[@]}" | median); dr=$(printf '%s\n' "${dk_rss[@]}" | median)
size=$(du -m "$DIST" | cut -f1)
cat > "$OUT" <<JSON
{"runs": $RUNS, "agentBootSeconds": $(awk "BEGIN{print $am/1000}"), "agentRssMiB": $(( ar / 1024 )),
 "frameworkBootSeconds": $(awk "BEGIN{print $fm/1000}"), "frameworkRssMiB": $(( fr / 1024 )),
 "dockerBootSeconds": $(awk "BEGIN{print $dm/1000}"), "dockerRssMiB": $(( dr / 1024 )),
 "agentSizeMiB": $size, "agentBootMs": [$(IFS=,; echo "${agent_ms[*]}")], "frameworkBootMs": [$(IFS=,; echo "${fw_ms[*]}")],
 "dockerBootMs": [$(IFS=,; echo "${dk_ms[*]}")], "agentRssKiB": [$(IFS=,; echo "${agent_rss[*]}")],
 "frameworkRssKiB": [$(IFS=,; echo "${fw_rss[*]}")], "dockerRssKiB": [$(IFS=,; echo "${dk_rss[*]}")],
 "jvmOptions": "$(sed -n 's/.*EXTRA_JAVA_OPTS="\(-X.*\)".*/\1/p' "$WORK/agent-1/bin/setenv" | head -n1)"}
JSON
cat "$OUT"

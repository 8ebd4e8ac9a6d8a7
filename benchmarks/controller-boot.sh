#!/usr/bin/env bash
# Controller boot and idle memory, beside a bare Karaf of the same version with CXF's JAX-RS in the same run:
#   - boot: from launching bin/karaf of a freshly unpacked distribution to its first REST answer (controller: 200 from
#     GET /stratos/api/v1/cartridges as the admin; bare Karaf: 200 from CXF's servlet at /cxf/, its service list);
#   - idle RSS: the JVM's VmRSS after BOOT_IDLE_S seconds idle; the controller with one partition of one local VM
#     (whose agent runs in its own JVM, not counted), the bare Karaf as booted.
# Both run with the controller distribution's bin/setenv (the same JVM options), so the ratio is what the controller
# adds to Karaf and CXF. Runs alternate controller, bare Karaf; medians.
#   controller-boot.sh <controller dist tar.gz> <out dir>
# Env: BOOT_RUNS (5; QUICK=1: 2), BOOT_IDLE_S (30; QUICK=1: 15), MAVEN_REPO (~/.m2/repository: the Karaf tarball
#      org.apache.karaf:apache-karaf and CXF's features and bundles, read offline), EXTRA_JAVA_OPTS (replaces the
#      distribution's JVM options in both, to try a lever). Writes controller-boot.json and adds controller_boot_s and
#      controller_idle_rss_mib to summary-fragment.json.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
DIST=${1:?controller distribution tar.gz}
OUT=${2:?output directory}
RUNS=${BOOT_RUNS:-$([ -n "${QUICK:-}" ] && echo 2 || echo 5)}
IDLE=${BOOT_IDLE_S:-$([ -n "${QUICK:-}" ] && echo 15 || echo 30)}
REPO=${MAVEN_REPO:-$HOME/.m2/repository}
: "${JAVA_HOME:=$(ls -d /usr/lib/jvm/java-17-openjdk-* | head -n1)}"; export JAVA_HOME
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/stratos-bench-boot-XXXX)
say() { printf '[controller-boot] %s\n' "$*" >&2; }
CTL=""
BARE=""
cleanup() {
  local rc=$?
  set +e
  stop_controller
  [ -n "$BARE" ] && [ -f "$BARE/karaf.pid" ] && kill -9 "$(cat "$BARE/karaf.pid")" 2>/dev/null
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

KARAF_VERSION=$(tar tzf "$DIST" | sed -n 's|^[^/]*/system/org/apache/karaf/features/framework/\([0-9.]*\)/.*|\1|p' | head -n1)
CXF_VERSION=$(tar tzf "$DIST" | sed -n 's|^[^/]*/system/org/apache/cxf/cxf-core/\([0-9.]*\)/.*|\1|p' | head -n1)
KARAF_TGZ="$REPO/org/apache/karaf/apache-karaf/$KARAF_VERSION/apache-karaf-$KARAF_VERSION.tar.gz"
[ -f "$KARAF_TGZ" ] || { say "no $KARAF_TGZ: mvn dependency:get -Dartifact=org.apache.karaf:apache-karaf:$KARAF_VERSION:tar.gz"; exit 1; }
[ -f "$REPO/org/apache/cxf/karaf/apache-cxf/$CXF_VERSION/apache-cxf-$CXF_VERSION-features.xml" ] \
  || { say "no CXF $CXF_VERSION features in $REPO: build the project first (mvn install)"; exit 1; }
SETENV=$(mktemp "$WORK/setenv-XXXX"); tar xzf "$DIST" -O --wildcards '*/bin/setenv' > "$SETENV"

# first_200 <url> [curl args]: ms since $T0 until the URL answers 200, polling every 20 ms (5 minutes at most)
first_200() {
  local url=$1; shift
  for _ in $(seq 1 15000); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url")" = 200 ] && { echo $(( ($(date +%s%N) - T0) / 1000000 )); return 0; }
    sleep 0.02
  done
  say "no 200 from $url within 5 minutes"; exit 1
}
rss_mib() { awk '/VmRSS/{printf "%d", $2 / 1024}' "/proc/$1/status"; }

controller_once() { # prints "<boot ms> <idle RSS MiB>"
  CTL="$WORK/controller"
  controller_unpack "$DIST"
  T0=$(date +%s%N)
  (cd "$CTL" && setsid bin/karaf daemon > console.log 2>&1 < /dev/null &)
  local ms; ms=$(first_200 "$API/cartridges" -u karaf:karaf)
  controller_await
  local answer; answer=$(curl_api -w ' %{http_code}' -X POST "$API/partitions" -d '{"name":"idle","cartridge":"static-httpd","minVms":1,"maxVms":1}')
  [ "${answer##* }" = 201 ] || { say "POST /partitions: $answer"; exit 1; }
  for _ in $(seq 1 300); do curl_api "$API/vms" | grep -q '"READY"' && break; sleep 0.2; done
  curl_api "$API/vms" | grep -q '"READY"' || { say "the partition's VM is not READY: $(curl_api "$API/vms")"; exit 1; }
  sleep "$IDLE"
  local rss; rss=$(rss_mib "$(cat "$CTL/karaf.pid")")
  stop_controller
  echo "$ms $rss"
}

bare_once() { # prints "<boot ms> <idle RSS MiB>"
  BARE="$WORK/bare"
  rm -rf "$BARE"; mkdir -p "$BARE"; tar xzf "$KARAF_TGZ" -C "$BARE" --strip-components=1
  cp "$SETENV" "$BARE/bin/setenv"
  local http ssh jmx jmxs; http=$(free_port); ssh=$(free_port); jmx=$(free_port); jmxs=$(free_port)
  local saved=$CTL; CTL=$BARE
  setcfg org.ops4j.pax.web.cfg org.osgi.service.http.port "$http"
  setcfg org.apache.karaf.shell.cfg sshPort "$ssh"
  setcfg org.apache.karaf.management.cfg rmiRegistryPort "$jmx"
  setcfg org.apache.karaf.management.cfg rmiServerPort "$jmxs"
  # offline: CXF's features and bundles from the local Maven repository, nothing remote
  setcfg org.ops4j.pax.url.mvn.cfg org.ops4j.pax.url.mvn.localRepository "$REPO"
  setcfg org.ops4j.pax.url.mvn.cfg org.ops4j.pax.url.mvn.repositories ""
  CTL=$saved
  sed -i -e "s|^featuresRepositories = \\\\|featuresRepositories = mvn:org.apache.cxf.karaf/apache-cxf/$CXF_VERSION/xml/features, \\\\|" \
         -e "s|^featuresBoot = \\\\|featuresBoot = cxf-jaxrs, \\\\|" "$BARE/etc/org.apache.karaf.features.cfg"
  T0=$(date +%s%N)
  (cd "$BARE" && setsid bin/karaf daemon > console.log 2>&1 < /dev/null &)
  local ms; ms=$(first_200 "http://127.0.0.1:$http/cxf/")
  sleep "$IDLE"
  local pid rss; pid=$(cat "$BARE/karaf.pid"); rss=$(rss_mib "$pid")
  kill "$pid"; for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; kill -9 "$pid" 2>/dev/null || true
  rm -rf "$BARE"; BARE=""
  echo "$ms $rss"
}

c_ms=(); c_rss=(); b_ms=(); b_rss=()
for i in $(seq 1 "$RUNS"); do
  read -r ms rss < <(controller_once); c_ms+=("$ms"); c_rss+=("$rss")
  read -r bms brss < <(bare_once); b_ms+=("$bms"); b_rss+=("$brss")
  say "run $i: controller $ms ms, $rss MiB; bare Karaf $KARAF_VERSION + CXF $CXF_VERSION $bms ms, $brss MiB"
done
cm=$(printf '%s\n' "${c_ms[@]}" | median); cr=$(printf '%s\n' "${c_rss[@]}" | median)
bm=$(printf '%s\n' "${b_ms[@]}" | median); br=$(printf '%s\n' "${b_rss[@]}" | median)
say "medians: boot $cm ms (bare $bm ms), idle RSS $cr MiB (bare $br MiB); load $(cut -d' ' -f1-3 /proc/loadavg)"
opts=$(set +u; . "$SETENV"; echo "$EXTRA_JAVA_OPTS")
python3 - "$OUT" <<PY
import datetime, json, os, re, sys
out = sys.argv[1]
folder = os.path.basename(os.path.abspath(out))
m = re.match(r"(\d{4}-\d{2}-\d{2})", folder)
date = m.group(1) if m else datetime.datetime.utcnow().strftime("%Y-%m-%d")
raw = {"runs": $RUNS, "idleSeconds": $IDLE, "javaOpts": "$opts", "karaf": "$KARAF_VERSION", "cxf": "$CXF_VERSION",
       "load": "$(cut -d' ' -f1-3 /proc/loadavg)",
       "controllerBootMs": [$(IFS=,; echo "${c_ms[*]}")], "controllerRssMiB": [$(IFS=,; echo "${c_rss[*]}")],
       "bareBootMs": [$(IFS=,; echo "${b_ms[*]}")], "bareRssMiB": [$(IFS=,; echo "${b_rss[*]}")],
       "controllerBootMedianMs": $cm, "controllerRssMedianMiB": $cr, "bareBootMedianMs": $bm, "bareRssMedianMiB": $br}
json.dump(raw, open(os.path.join(out, "controller-boot.json"), "w"), indent=2)
path = os.path.join(out, "summary-fragment.json")
fragment = json.load(open(path)) if os.path.exists(path) else {}   # other benchmarks of the same run add theirs
results = "benchmarks/results/" + folder
fragment["controller_boot_s"] = {
    "value": round($cm / 1000, 2), "baseline": round($bm / 1000, 2), "ratio": round($cm / $bm, 2), "unit": "s", "date": date,
    "what": "controller distribution, freshly unpacked: bin/karaf to the first 200 of GET /stratos/api/v1/cartridges, median of $RUNS",
    "baseline_what": "bare Karaf $KARAF_VERSION with CXF $CXF_VERSION cxf-jaxrs, same JVM options: to the first 200 of /cxf/, same run",
    "results": results, "goal": "<= 3 s"}
fragment["controller_idle_rss_mib"] = {
    "value": $cr, "baseline": $br, "ratio": round($cr / $br, 2), "unit": "MiB", "date": date,
    "what": "controller JVM RSS after $IDLE s idle with one partition (one local VM READY), median of $RUNS",
    "baseline_what": "bare Karaf $KARAF_VERSION with CXF cxf-jaxrs after $IDLE s idle, same JVM options, same run",
    "results": results, "goal": "<= 256 MiB"}
json.dump(fragment, open(path, "w"), indent=2)
PY
cat "$OUT/controller-boot.json"

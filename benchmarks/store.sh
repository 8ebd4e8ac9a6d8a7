#!/usr/bin/env bash
# Store: upload and download of real cartridge images through the controller distribution's REST API over
# 127.0.0.1 (curl, HTTP Basic as the admin), beside cp of the same file in the same run (warm page cache for
# both; the store also hashes and fsyncs, so cp followed by a sync of the copy is a second baseline). An upload's own
# baseline is the minimum work on the same file: sha256sum of it, then tar -tzf of it (one after the other). A
# download has a second reference: curl fetching the same file from sendfile-server.py (zero-copy, no auth), the
# floor of an HTTP download here.
#   store.sh <controller dist tar.gz> <out dir>
# Env: STORE_IMAGES (image tarballs; default every cartridges/*/target/*.tar.gz), STORE_RUNS (5; QUICK=1: 3),
#      STORE_PORT_BASE (31520: HTTP, +1 ssh, +2 RMI registry, +3 RMI server, +4 router, +5 sendfile server). Writes store.json and
#      summary-fragment.json (store_upload_<name>: upload / (sha256sum + tar -tzf); store_download_<name>:
#      download / cp; <name> is php for php-*, static for static-httpd-*, else the image's name).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
DIST=${1:?controller distribution tar.gz}
OUT=${2:?output directory}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${STORE_RUNS:-$([ -n "${QUICK:-}" ] && echo 3 || echo 5)}
BASE=${STORE_PORT_BASE:-31520}
IMAGES=${STORE_IMAGES:-$(ls "$ROOT"/cartridges/*/target/*.tar.gz)}
: "${JAVA_HOME:=$(ls -d /usr/lib/jvm/java-17-openjdk-* | head -n1)}"; export JAVA_HOME
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/stratos-bench-store-XXXX)
CTL="$WORK/controller"
say() { printf '[store] %s\n' "$*" >&2; }
cleanup() {
  local rc=$?
  set +e
  [ -n "${SENDFILE_PID:-}" ] && kill "$SENDFILE_PID" 2>/dev/null
  if [ -f "$CTL/karaf.pid" ]; then
    pid=$(cat "$CTL/karaf.pid"); kill "$pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

API="http://127.0.0.1:$BASE/stratos/api/v1"
# its own curl_api, without lib.sh's JSON Content-Type: it uploads tarballs
curl_api() { curl -s -u karaf:karaf "$@"; }
mkdir -p "$CTL"; tar xzf "$DIST" -C "$CTL" --strip-components=1
setcfg org.ops4j.pax.web.cfg org.osgi.service.http.port "$BASE"
setcfg org.apache.karaf.shell.cfg sshPort "$((BASE + 1))"
setcfg org.apache.karaf.management.cfg rmiRegistryPort "$((BASE + 2))"
setcfg org.apache.karaf.management.cfg rmiServerPort "$((BASE + 3))"
setcfg io.stratos.lxc.router.cfg port "$((BASE + 4))"
setcfg io.stratos.lxc.controller.cfg routerPort "$((BASE + 4))"
setcfg io.stratos.lxc.autoscaler.cfg enabled false
(cd "$CTL" && setsid bin/karaf daemon > console.log 2>&1 < /dev/null &)
for _ in $(seq 1 600); do [ "$(curl_api -o /dev/null -w '%{http_code}' "$API/cartridges")" = 200 ] && break; sleep 0.5; done
[ "$(curl_api -o /dev/null -w '%{http_code}' "$API/cartridges")" = 200 ] || { say "controller not ready: $(tail -3 "$CTL/console.log")"; exit 1; }

mkdir -p "$WORK/images"
python3 "$ROOT/benchmarks/sendfile-server.py" "$WORK/images" "$((BASE + 5))" & SENDFILE_PID=$!
ms() { awk -v s="$1" 'BEGIN{printf "%d", s * 1000}'; }
rows=()
for IMAGE in $IMAGES; do
  file=$(basename "$IMAGE" .tar.gz)          # <name>-<version>
  version=${file##*-}; name=${file%-*}
  size=$(stat -c %s "$IMAGE")
  cat "$IMAGE" > /dev/null                    # warm: every variant reads it from the page cache
  ln -sf "$IMAGE" "$WORK/images/$file.tar.gz"
  up=(); down=(); cpm=(); cps=(); work=(); sf=()
  for i in $(seq 1 "$RUNS"); do
    # the distribution may have preloaded this version: versions are immutable, so delete, then upload anew
    curl_api -o /dev/null -X DELETE "$API/cartridges/$name/versions/$version"
    read -r code t < <(curl_api -o "$WORK/answer" -w '%{http_code} %{time_total}\n' -X PUT -H 'Content-Type: application/gzip' \
      --data-binary @"$IMAGE" "$API/cartridges/$name/versions/$version")
    [ "$code" = 201 ] || { say "upload of $IMAGE: $code $(cat "$WORK/answer")"; exit 1; }
    up+=("$(ms "$t")")
    digest=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["digest"])' "$WORK/answer")
    read -r code t < <(curl_api -o "$WORK/download" -w '%{http_code} %{time_total}\n' "$API/images/$digest")
    [ "$code" = 200 ] && cmp -s "$WORK/download" "$IMAGE" || { say "download of $digest: $code, or not the uploaded bytes"; exit 1; }
    down+=("$(ms "$t")"); rm -f "$WORK/download"
    t=$(curl -s -o "$WORK/download" -w '%{time_total}' "http://127.0.0.1:$((BASE + 5))/$file.tar.gz")
    cmp -s "$WORK/download" "$IMAGE" || { say "the sendfile reference did not serve $IMAGE"; exit 1; }
    sf+=("$(ms "$t")"); rm -f "$WORK/download"
    t0=$(date +%s%N); cp "$IMAGE" "$WORK/copy"; t1=$(date +%s%N); cpm+=("$(( (t1 - t0) / 1000000 ))"); rm -f "$WORK/copy"
    t0=$(date +%s%N); cp "$IMAGE" "$WORK/copy"; sync "$WORK/copy"; t1=$(date +%s%N); cps+=("$(( (t1 - t0) / 1000000 ))"); rm -f "$WORK/copy"
    t0=$(date +%s%N); sha256sum "$IMAGE" > /dev/null; tar -tzf "$IMAGE" > /dev/null; t1=$(date +%s%N); work+=("$(( (t1 - t0) / 1000000 ))")
  done
  u=$(printf '%s\n' "${up[@]}" | median); d=$(printf '%s\n' "${down[@]}" | median)
  c=$(printf '%s\n' "${cpm[@]}" | median); cs=$(printf '%s\n' "${cps[@]}" | median); w=$(printf '%s\n' "${work[@]}" | median)
  s=$(printf '%s\n' "${sf[@]}" | median)
  say "$file ($size bytes): upload $u ms, download $d ms, cp $c ms, cp+sync $cs ms, sha256sum+tar -tzf $w ms, curl from sendfile $s ms"
  rows+=("{\"image\": \"$file\", \"bytes\": $size, \"runs\": $RUNS, \"uploadMedianMs\": $u, \"downloadMedianMs\": $d, \"cpMedianMs\": $c, \"cpSyncMedianMs\": $cs, \"hashListMedianMs\": $w, \"sendfileMedianMs\": $s, \"uploadMs\": [$(IFS=,; echo "${up[*]}")], \"downloadMs\": [$(IFS=,; echo "${down[*]}")], \"cpMs\": [$(IFS=,; echo "${cpm[*]}")], \"cpSyncMs\": [$(IFS=,; echo "${cps[*]}")], \"hashListMs\": [$(IFS=,; echo "${work[*]}")], \"sendfileMs\": [$(IFS=,; echo "${sf[*]}")]}")
done
printf '{"load": "%s", "images": [%s]}\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(IFS=,; echo "${rows[*]}")" > "$OUT/store.json"
cat "$OUT/store.json"
python3 - "$OUT" <<'PY'
import json, os, re, sys
out = sys.argv[1]
folder = os.path.basename(os.path.abspath(out))
date = re.match(r"(\d{4}-\d{2}-\d{2})", folder)
date = date.group(1) if date else __import__("datetime").datetime.utcnow().strftime("%Y-%m-%d")
path = os.path.join(out, "summary-fragment.json")
fragment = json.load(open(path)) if os.path.exists(path) else {}   # other benchmarks of the same run add theirs
for i in json.load(open(os.path.join(out, "store.json")))["images"]:
    short = "php" if i["image"].startswith("php-") else "static" if i["image"].startswith("static-httpd-") else re.sub(r"\W", "_", i["image"].rsplit("-", 1)[0])
    mib = f"{i['bytes'] / 1048576:.1f} MiB"
    fragment[f"store_upload_{short}"] = {
        "value": i["uploadMedianMs"], "baseline": i["hashListMedianMs"],
        "ratio": round(i["uploadMedianMs"] / max(i["hashListMedianMs"], 1), 2), "unit": "ms", "date": date,
        "what": f"store: upload of {i['image']} ({mib}) over REST on 127.0.0.1 (curl), median of {i['runs']}",
        "baseline_what": "sha256sum of the same file, then tar -tzf of it, same run", "results": f"benchmarks/results/{folder}",
        "goal": "ratio <= 1.0"}
    fragment[f"store_download_{short}"] = {
        "value": i["downloadMedianMs"], "baseline": i["cpMedianMs"],
        "ratio": round(i["downloadMedianMs"] / max(i["cpMedianMs"], 1), 2), "unit": "ms", "date": date,
        "what": f"store: download of {i['image']} ({mib}) over REST on 127.0.0.1 (curl -o a file), median of {i['runs']}",
        "baseline_what": f"cp of the same file, same run (curl from a zero-copy sendfile server: {i['sendfileMedianMs']} ms)",
        "results": f"benchmarks/results/{folder}", "goal": "ratio <= 1.5"}
json.dump(fragment, open(path, "w"), indent=2)
PY

#!/usr/bin/env bash
# Agent distribution boot levers: cold boot to "Stratos agent ready" and idle RSS (5 s after ready) for several
# variants of the same distribution, run round-robin so that a busy machine stretches all of them alike.
# The baseline is the distribution as shipped (bin/setenv's JVM options). Writes JSON and Markdown.
#   agent-boot-levers.sh <agent dist tar.gz> <out dir>        RUNS=5 by default
# A "cold" boot is a fresh data/ (no Karaf bundle cache): what a new VM's first start costs. The CDS variant
# boots in the home where its archive was made (AppCDS checks the class path), with data/ reset each time.
set -euo pipefail
DIST=${1:?agent distribution tar.gz}
OUT=${2:?output directory}
RUNS=${RUNS:-5}
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/stratos-bench-levers-XXXX)
cleanup() {
  local rc=$?
  for f in "$WORK"/*/karaf.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
: "${JAVA_HOME:=$(ls -d /usr/lib/jvm/java-17-openjdk-* | head -n1)}"; export JAVA_HOME
KARAF_VERSION=$(tar xzf "$DIST" -O --wildcards '*/etc/org.apache.karaf.features.cfg' | sed -n 's/.*framework\/\([0-9.]*\).*/\1/p' | head -n1)
SHIPPED=$(sed -n 's/.*EXTRA_JAVA_OPTS="\(-.*\)".*/\1/p' <(tar xzf "$DIST" -O --wildcards '*/bin/setenv') | head -n1)

# name | JVM options | what else, space-separated: noshell (boot without stratos-agent-shell), nopatch (bin/karaf
# without --patch-module and lib/boot without the XML specs activator: Karaf's patching of java.base/java.xml turns
# class-data sharing off, even the JDK's own archive), cds (AppCDS archive, needs nopatch), arena (MALLOC_ARENA_MAX=2),
# jmx (boots the management feature the distribution carries: a JMX/RMI connector on 127.0.0.1),
# bc (without bin/setenv's -Dorg.apache.sshd.security.provider.BC.enabled=false)
LEAN="-Xss256k -XX:-UsePerfData"
VARIANTS=(
  "shipped|$SHIPPED|"
  "no shell/ssh|$SHIPPED|noshell"
  "sshd with Bouncy Castle as JCE provider (Karaf's default)|$SHIPPED|bc"
  "no --patch-module (JDK CDS on)|$SHIPPED|nopatch"
  "no --patch-module + AppCDS|$SHIPPED|nopatch cds"
  "no --patch-module, Xss256k, -UsePerfData, MALLOC_ARENA_MAX=2|$SHIPPED $LEAN|nopatch arena"
  "with remote JMX (Karaf management feature)|$SHIPPED|jmx"
  "JDK defaults (no setenv options)| |"
)
has() { [[ " $1 " == *" $2 "* ]]; }
unpatch() { # home: what the nopatch variants change
  sed -i '/--patch-module java.base=/d; /--patch-module java.xml=/d; /--add-exports=java.base\/org.apache.karaf.specs.locator/d; /--add-reads=java.xml=java.logging/d' "$1/bin/karaf"
  rm -f "$1"/lib/boot/org.apache.karaf.specs.activator-*.jar
}

wait_ready() { # home -> 0 when ready within 60 s
  for _ in $(seq 1 1200); do grep -q "Stratos agent ready" "$1/data/log/karaf.log" 2>/dev/null && return 0; sleep 0.05; done; return 1
}
stop() { local pid; pid=$(cat "$1/karaf.pid"); kill "$pid" 2>/dev/null; while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done; }

# An AppCDS archive made once, as an install step would: boot, let it idle, stop (the JVM dumps at exit).
CDS_HOME="$WORK/cds-home"; mkdir -p "$CDS_HOME"; tar xzf "$DIST" -C "$CDS_HOME" --strip-components=1
unpatch "$CDS_HOME"
cp -a "$CDS_HOME/data" "$WORK/pristine-data"
(cd "$CDS_HOME" && EXTRA_JAVA_OPTS="$SHIPPED -XX:ArchiveClassesAtExit=$CDS_HOME/agent.jsa" STRATOS_AGENT_DATA_DIR="$CDS_HOME/agent-data" \
  STRATOS_AGENT_SSH_PORT=24090 setsid bin/karaf daemon > console.log 2>&1 < /dev/null &)
wait_ready "$CDS_HOME"; sleep 3; stop "$CDS_HOME"
CDS_MB=$(( $(stat -c %s "$CDS_HOME/agent.jsa") / 1048576 ))

declare -A MS RSS
i=0
for run in $(seq 1 "$RUNS"); do
  for v in "${VARIANTS[@]}"; do
    IFS='|' read -r name opts extra <<< "$v"
    i=$((i + 1))
    if has "$extra" cds; then
      home="$CDS_HOME"; rm -rf "$home/data" "$home/agent-data"; cp -a "$WORK/pristine-data" "$home/data"
      opts="$opts -XX:SharedArchiveFile=$CDS_HOME/agent.jsa"
    else
      home="$WORK/h$i"; mkdir -p "$home"; tar xzf "$DIST" -C "$home" --strip-components=1
      if has "$extra" noshell; then
        sed -i 's/^ *stratos-agent-shell\/[^,]*, *\\$/ \\/; s/, *stratos-agent-shell\/[0-9A-Za-z.]*//' "$home/etc/org.apache.karaf.features.cfg"
      fi
      if has "$extra" nopatch; then unpatch "$home"; fi
      if has "$extra" bc; then sed -i '/BC.enabled/d' "$home/bin/setenv"; fi
      if has "$extra" jmx; then
        sed -i 's/^\( *stratos-agent\/[0-9A-Za-z.]*\)$/\1, \\\n    management\/'"$KARAF_VERSION"'/' "$home/etc/org.apache.karaf.features.cfg"
        printf 'rmiRegistryPort = 24092\nrmiRegistryHost = 127.0.0.1\nrmiServerPort = 24093\nrmiServerHost = 127.0.0.1\njmxRealm = karaf\n' \
          > "$home/etc/org.apache.karaf.management.cfg"
      fi
    fi
    arena=""; if has "$extra" arena; then arena=2; fi
    t0=$(date +%s%N)
    (cd "$home" && if [ -n "$arena" ]; then export MALLOC_ARENA_MAX=$arena; fi && EXTRA_JAVA_OPTS="$opts" STRATOS_AGENT_DATA_DIR="$home/agent-data" \
      STRATOS_AGENT_SSH_PORT=24091 setsid bin/karaf daemon > console.log 2>&1 < /dev/null &)
    wait_ready "$home" || { echo "$name: not ready; $(tail -3 "$home/console.log")" >&2; exit 1; }
    t1=$(date +%s%N)
    sleep 5
    rss=$(awk '/VmRSS/{print $2}' "/proc/$(cat "$home/karaf.pid")/status")
    stop "$home"
    has "$extra" cds || rm -rf "$home"
    MS[$name]+="$(( (t1 - t0) / 1000000 )) "; RSS[$name]+="$(( rss / 1024 )) "
    echo "run $run: $name: $(( (t1 - t0) / 1000000 )) ms, $(( rss / 1024 )) MiB" >&2
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
base_ms=$(echo "${MS[shipped]}" | median); base_rss=$(echo "${RSS[shipped]}" | median)
{
  echo "# Agent distribution boot levers ($RUNS runs each, round-robin; load before: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Shipped JVM options: \`$SHIPPED\`; AppCDS archive: $CDS_MB MiB."
  echo
  echo "| variant | cold boot to ready, median ms | ratio to shipped | idle RSS, median MiB | ratio to shipped | all boots ms |"
  echo "|---|---|---|---|---|---|"
} > "$OUT/agent-boot-levers.md"
echo "{\"runs\": $RUNS, \"cdsArchiveMiB\": $CDS_MB, \"variants\": [" > "$OUT/agent-boot-levers.json"
first=1
for v in "${VARIANTS[@]}"; do
  IFS='|' read -r name opts extra <<< "$v"
  ms=$(echo "${MS[$name]}" | median); rss=$(echo "${RSS[$name]}" | median)
  echo "| $name | $ms | $(awk "BEGIN{printf \"%.2f\", $ms/$base_ms}") | $rss | $(awk "BEGIN{printf \"%.2f\", $rss/$base_rss}") | ${MS[$name]}|" >> "$OUT/agent-boot-levers.md"
  [ $first = 1 ] || echo "," >> "$OUT/agent-boot-levers.json"; first=0
  echo "{\"name\": \"$name\", \"bootMedianMs\": $ms, \"rssMedianMiB\": $rss, \"bootMs\": [$(echo ${MS[$name]} | tr ' ' ',')], \"rssMiB\": [$(echo ${RSS[$name]} | tr ' ' ',')]}" >> "$OUT/agent-boot-levers.json"
done
echo "]}" >> "$OUT/agent-boot-levers.json"
cat "$OUT/agent-boot-levers.md"

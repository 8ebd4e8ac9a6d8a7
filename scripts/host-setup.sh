#!/usr/bin/env bash
# Prepares this Debian host for Stratos LXC: JDK 17, Maven, LXC, Docker, busybox-static; starts dockerd.
# With --test it also starts the PostgreSQL the persistence tests run against (127.0.0.1:15432);
# with --postgres only that PostgreSQL (./stratos up --ha keeps its two controllers' database there);
# with --bench it also installs gnuplot (the benchmarks' plots) and wrk (vm-network.sh).
# Idempotent: installs only what is missing and starts services only when they do not answer.
set -euo pipefail
WITH_TEST=false
WITH_BENCH=false
WITH_POSTGRES=false
[ "${1:-}" = "--test" ] && WITH_TEST=true && WITH_POSTGRES=true
[ "${1:-}" = "--postgres" ] && WITH_POSTGRES=true
[ "${1:-}" = "--bench" ] && WITH_BENCH=true

say() { printf '[host-setup] %s\n' "$*"; }

# git: the git fetcher's tests serve repositories with `git daemon` on 127.0.0.1
PACKAGES=(openjdk-17-jdk-headless maven lxc docker.io busybox-static uidmap iproute2 curl git)
# the web console's browser tests (ConsoleE2E) drive Debian's headless chromium through its chromedriver;
# MetricsE2E runs Debian's Prometheus (2.42) with a config of its own on a free loopback port
$WITH_TEST && PACKAGES+=(postgresql mmdebstrap chromium chromium-driver prometheus)
$WITH_BENCH && PACKAGES+=(gnuplot-nox wrk)
$WITH_POSTGRES && ! $WITH_TEST && PACKAGES+=(postgresql)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    say "missing packages: ${missing[*]}; run as root or install them with apt-get"; exit 1
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
else
  say "packages present"
fi
# Debian's prometheus package enables its own service (0.0.0.0:9090) where systemd runs: the tests start theirs
if $WITH_TEST && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl disable --now prometheus >/dev/null 2>&1 || true
fi

# dockerd: no init system starts it here, so we do, on its unix socket only: an unauthenticated TCP endpoint
# would let any local user control the host. The jclouds end-to-end test opens its own loopback bridge to
# the socket for its duration (itests support/UnixSocketBridge).
DOCKER=/usr/bin/docker
# A pid file left by a daemon that died (a machine stopped without shutting it down) may name a pid some other
# process holds now: dockerd then waits forever for "its" containerd ("containerd is still running", then
# "timeout waiting for containerd to start"; seen in CI). A pid file counts only while it names the daemon itself.
drop_stale_pid_file() { # <file> <command name>
  local pid
  [ -f "$1" ] || return 0
  pid=$(cat "$1" 2>/dev/null || true)
  if [ -z "$pid" ] || [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" != "$2" ]; then rm -f "$1"; fi
}
start_dockerd() {
  drop_stale_pid_file /var/run/docker.pid dockerd
  drop_stale_pid_file /var/run/docker/containerd/containerd.pid containerd
  setsid dockerd --host unix:///var/run/docker.sock > /var/log/stratos/dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 120); do "$DOCKER" version >/dev/null 2>&1 && return 0; sleep 0.5; done
  return 1
}
if ! "$DOCKER" version >/dev/null 2>&1; then
  say "starting dockerd"
  mkdir -p /var/log/stratos
  if ! start_dockerd; then
    say "dockerd did not answer within 60 s; its log ends:"
    tail -n 15 /var/log/stratos/dockerd.log | sed 's/^/[host-setup]   /'
    # One more try from a clean slate: a daemon of ours still starting or hung goes first.
    pkill -x dockerd 2>/dev/null || true
    pkill -f '^containerd --config /var/run/docker/containerd/' 2>/dev/null || true
    sleep 2
    say "starting dockerd again"
    start_dockerd || {
      say "dockerd did not start; its log ends:"
      tail -n 15 /var/log/stratos/dockerd.log | sed 's/^/[host-setup]   /'
      exit 1
    }
  fi
fi
say "dockerd answers (API $("$DOCKER" version --format '{{.Server.APIVersion}}'))"
say "lxc $(lxc-start --version)"

# Unprivileged LXC containers map root inside to these ids (LXC calls newuidmap even as root).
for f in /etc/subuid /etc/subgid; do
  grep -q '^root:100000:65536$' "$f" 2>/dev/null || echo 'root:100000:65536' >> "$f"
done

if $WITH_POSTGRES; then
  # PostgreSQL for the persistence tests: our own cluster on 127.0.0.1:15432, never the system one. The port is
  # below the kernel's ephemeral range (32768-60999): there an outgoing connection could hold it (seen).
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  PG_DIR=/var/lib/stratos-test-postgres
  if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p 15432; then
    say "starting PostgreSQL for the tests on 127.0.0.1:15432"
    mkdir -p "$PG_DIR" && chown postgres:postgres "$PG_DIR"
    [ -f "$PG_DIR/data/PG_VERSION" ] || runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust >/dev/null
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w start \
      -o "-c listen_addresses=127.0.0.1 -c port=15432 -c unix_socket_directories=$PG_DIR" >/dev/null
  fi
  runuser -u postgres -- psql -q -h "$PG_DIR" -p 15432 -d postgres -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
SELECT 'CREATE ROLE stratos LOGIN PASSWORD ''stratos''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'stratos')\gexec
SELECT 'CREATE DATABASE stratos_test OWNER stratos' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'stratos_test')\gexec
SELECT 'CREATE DATABASE stratos_ha OWNER stratos' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'stratos_ha')\gexec
SQL
  say "PostgreSQL answers on 127.0.0.1:15432 (databases stratos_test, stratos_ha)"
fi

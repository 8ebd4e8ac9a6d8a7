#!/usr/bin/env bash
# Prepares this Debian host for Stratos LXC: JDK 17, Maven, LXC, Docker, busybox-static; starts dockerd.
# Idempotent: installs only what is missing and starts dockerd only when it does not answer.
set -euo pipefail

say() { printf '[host-setup] %s\n' "$*"; }

PACKAGES=(openjdk-17-jdk-headless maven lxc docker.io busybox-static uidmap iptables curl)

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

# dockerd: no init system starts it here, so we do (unix socket only; nothing listens on TCP).
DOCKER=/usr/bin/docker
if ! "$DOCKER" version >/dev/null 2>&1; then
  say "starting dockerd"
  mkdir -p /var/log/stratos
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then rm -f /var/run/docker.pid; fi
  setsid dockerd --host unix:///var/run/docker.sock > /var/log/stratos/dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 60); do "$DOCKER" version >/dev/null 2>&1 && break; sleep 0.5; done
  "$DOCKER" version >/dev/null 2>&1 || { say "dockerd did not start; see /var/log/stratos/dockerd.log"; exit 1; }
fi
say "dockerd answers (API $("$DOCKER" version --format '{{.Server.APIVersion}}'))"
say "lxc $(lxc-start --version)"

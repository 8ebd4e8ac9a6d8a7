#!/bin/sh
# Builds, once, the docker image of a jclouds "VM" for JcloudsVmsE2E: Debian bookworm with a JRE 17, LXC, iproute2
# (the agent's bridge) and busybox-static (mount, and the tools the adapter's LXC preparation uses) from Debian's
# packages (mmdebstrap, no registry pull), imported with `docker import`. The agent distribution is not in the
# image: the adapter mounts it. The tag is a hash of what goes in (this script, suite, packages, mirror), so a
# second run only finds the image. Prints the tag on its last line; progress goes to stderr.
#   jclouds-vm-image.sh [mirror]      (default: the host's Debian mirror from its apt sources)
set -eu
DOCKER=/usr/bin/docker
SUITE=bookworm
PACKAGES="openjdk-17-jre-headless lxc iproute2 busybox-static"
say() { printf '[jclouds-vm-image] %s\n' "$*" >&2; }

mirror() {
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # deb822: the URIs line of a stanza whose suites include bookworm (not -security)
    awk '/^URIs:/ {u=$2} /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") print u }' "$f"
  done | grep -v security | head -n1
  [ -f /etc/apt/sources.list ] && awk '$1 == "deb" && $3 == "bookworm" { print $2 }' /etc/apt/sources.list | head -n1
  echo http://deb.debian.org/debian
}
MIRROR=${1:-$(mirror | grep -m1 .)}
SELF_HASH=$(sha256sum "$0" | cut -c1-64)
KEY=$(printf '%s\n' "$SELF_HASH" "$SUITE" "$PACKAGES" "$MIRROR" | sha256sum | cut -c1-12)
TAG="stratos/jclouds-vm:$KEY"

if "$DOCKER" image inspect "$TAG" >/dev/null 2>&1; then
  say "cached: $TAG"
  echo "$TAG"
  exit 0
fi

CACHE=${STRATOS_IMAGE_CACHE:-/var/cache/stratos}
mkdir -p "$CACHE"
exec 9>"$CACHE/jclouds-vm-image.lock"
flock 9
if "$DOCKER" image inspect "$TAG" >/dev/null 2>&1; then  # built by a concurrent run
  echo "$TAG"
  exit 0
fi
command -v mmdebstrap >/dev/null 2>&1 || { say "installing mmdebstrap"; DEBIAN_FRONTEND=noninteractive apt-get install -y -q mmdebstrap >&2; }

TARBALL="$CACHE/jclouds-vm-$KEY.tar"
say "building $TAG from $MIRROR ($SUITE + $PACKAGES)"
started=$(date +%s)
# SOURCE_DATE_EPOCH: fixed timestamps; man pages stay (update-alternatives needs their directories)
SOURCE_DATE_EPOCH=1747699200 mmdebstrap --quiet --variant=essential --include="$(echo $PACKAGES | tr ' ' ,)" \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  "$SUITE" "$TARBALL" "$MIRROR" >&2
"$DOCKER" import --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
  --message "Stratos LXC jclouds VM: $SUITE + $PACKAGES" "$TARBALL" "$TAG" >&2
rm -f "$TARBALL"
say "built $TAG in $(( $(date +%s) - started )) s"
echo "$TAG"

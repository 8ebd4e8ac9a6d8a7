#!/bin/sh
# Packs <root>/cartridge.json and <root>/rootfs into <out>/<name>-<version>.tar.gz reproducibly (sorted
# entries, numeric owners, mtimes clamped to SOURCE_DATE_EPOCH, gzip without name or time stamp), moves it
# into place whole, and prints its path and digest. Sourced by the Debian-based recipes, which build their
# rootfs with debian_rootfs first.
#   debian_rootfs <rootfs> <packages,...> [mmdebstrap option ...]
#   pack_image <root> <out> <name> <version>

# Debian bookworm's essential set plus <packages> (comma-separated) into <rootfs> with mmdebstrap, from $MIRROR or
# the host's own mirror: no /dev (the runtime makes it; the store refuses device nodes), no docs but copyrights,
# no man pages or locales, no apt caches or logs. Needs root and a reachable mirror.
debian_rootfs() {
  rootfs=$1
  packages=$2
  shift 2
  mirror=${MIRROR:-$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
  mirror=${mirror:-http://deb.debian.org/debian}
  command -v mmdebstrap >/dev/null || apt-get install -y -q mmdebstrap >/dev/null
  mmdebstrap --quiet --variant=essential --include="$packages" --skip=output/dev \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
      --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/apt/* "$1"/var/log/*.log' \
      "$@" bookworm "$rootfs" "$mirror"
  rm -rf "$rootfs/dev"
  mkdir -p "$rootfs/dev"
}

pack_image() {
  mkdir -p "$2"
  # The store refuses set-user-id and set-group-id files (su, passwd, wall in Debian's essential set):
  # a cartridge process needs none of them, and agents unpack images as root.
  find "$1/rootfs" -type f -perm /6000 -exec chmod u-s,g-s {} +
  image="$2/$3-$4.tar.gz"
  tar --sort=name --format=gnu --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" --clamp-mtime \
      -C "$1" -cf - cartridge.json rootfs | gzip -n -6 > "$image.tmp"
  mv "$image.tmp" "$image"
  echo "$image"
  echo "sha256:$(sha256sum "$image" | cut -d' ' -f1)"
}

#!/bin/sh
# Packs <root>/cartridge.json and <root>/rootfs into <out>/<name>-<version>.tar.gz reproducibly (sorted
# entries, numeric owners, mtimes clamped to SOURCE_DATE_EPOCH, gzip without name or time stamp), moves it
# into place whole, and prints its path and digest. Sourced by the Debian-based recipes.
#   pack_image <root> <out> <name> <version>
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

#!/bin/sh
# Builds the php cartridge image from Debian bookworm packages with mmdebstrap:
#   target/php-<version>.tar.gz   (cartridge.json + rootfs/: essential Debian + php8.2-cli)
# and prints its digest. The process is PHP's built-in web server on $BIND_ADDRESS:$PORT serving
# /var/www/html (appDir). Reproducible for the same package versions: SOURCE_DATE_EPOCH fixes the
# time stamps, entries are sorted, owners numeric, gzip without name or time.
#
# Usage: cartridges/php/build.sh [version]     (default 8.2.0; env VERSION and MIRROR work too)
# Needs: root, mmdebstrap (apt-get install mmdebstrap), a reachable Debian mirror (~20 s, ~60 MB gz).
set -eu
umask 022
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../pack-image.sh"
version=${1:-${VERSION:-8.2.0}}
name=php
out="$here/target"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1704067200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/image"
mkdir -p "$root"
debian_rootfs "$root/rootfs" php8.2-cli
mkdir -p "$root/rootfs/var/www/html"
php_version=$(chroot "$root/rootfs" dpkg-query -W -f='${Version}' php8.2-cli)

cat > "$root/rootfs/usr/local/bin/start-php" <<'SH'
#!/bin/sh
# php cartridge: PHP's built-in web server on $BIND_ADDRESS:$PORT, serving $APP_DIR.
exec php -S "${BIND_ADDRESS:-0.0.0.0}:${PORT:-8080}" -t "${APP_DIR:-/var/www/html}"
SH
chmod 0755 "$root/rootfs/usr/local/bin/start-php"
cat > "$root/rootfs/var/www/html/index.php" <<'PHP'
<?php
echo "<h1>Hello from the php cartridge</h1>\n<p>PHP " . PHP_VERSION . " on " . php_uname('n') . "</p>\n";
PHP

cat > "$root/cartridge.json" <<JSON
{
  "name": "$name",
  "version": "$version",
  "description": "PHP $php_version built-in web server (Debian bookworm php8.2-cli)",
  "start": ["/usr/local/bin/start-php"],
  "ports": [{"name": "http", "port": 8080, "protocol": "tcp"}],
  "env": {"PORT": "8080", "BIND_ADDRESS": "0.0.0.0", "APP_DIR": "/var/www/html"},
  "resources": {"cpuMillis": 250, "memoryMiB": 64},
  "health": {"http": "/"},
  "runtimes": ["lxc", "docker"],
  "appDir": "/var/www/html"
}
JSON

pack_image "$root" "$out" "$name" "$version"

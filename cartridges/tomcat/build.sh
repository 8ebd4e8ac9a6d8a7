#!/bin/sh
# Builds the tomcat cartridge image from Debian bookworm packages with mmdebstrap:
#   target/tomcat-<version>.tar.gz   (cartridge.json + rootfs/: essential Debian + default-jre-headless + tomcat10)
# and prints its digest. Tomcat's HTTP connector listens on $BIND_ADDRESS:$PORT (server.xml reads
# them as system properties); deploy web applications into /var/lib/tomcat10/webapps (appDir).
# Time stamps are fixed (SOURCE_DATE_EPOCH), entries sorted, owners numeric; see the README for
# what keeps the bytes from being identical between builds.
#
# Usage: cartridges/tomcat/build.sh [version]     (default 10.1.0; env VERSION and MIRROR work too)
# Needs: root, mmdebstrap, a reachable Debian mirror (~35 s, ~150 MB gz).
set -eu
umask 022
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../pack-image.sh"
version=${1:-${VERSION:-10.1.0}}
name=tomcat
out="$here/target"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1704067200}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/image"
mkdir -p "$root"
debian_rootfs "$root/rootfs" default-jre-headless,tomcat10 \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' # the JRE's postinst needs it even without man pages
tomcat_version=$(chroot "$root/rootfs" dpkg-query -W -f='${Version}' tomcat10)

# The HTTP connector on the process's address and port; no shutdown port, no AJP.
sed -i 's|<Connector port="8080" protocol="HTTP/1.1"|<Connector port="${stratos.port}" address="${stratos.address}" protocol="HTTP/1.1"|' \
    "$root/rootfs/etc/tomcat10/server.xml"
grep -q 'stratos.port' "$root/rootfs/etc/tomcat10/server.xml"

cat > "$root/rootfs/usr/local/bin/start-tomcat" <<'SH'
#!/bin/sh
# tomcat cartridge: Tomcat in the foreground as the container's init, HTTP on $BIND_ADDRESS:$PORT.
export CATALINA_HOME=/usr/share/tomcat10 CATALINA_BASE=/var/lib/tomcat10 CATALINA_TMPDIR=/tmp
. /usr/libexec/tomcat10/tomcat-locate-java.sh
export JAVA_OPTS="-Djava.awt.headless=true ${JAVA_OPTS:-} -Dstratos.port=${PORT:-8080} -Dstratos.address=${BIND_ADDRESS:-0.0.0.0}"
cd "$CATALINA_BASE" && exec "$CATALINA_HOME/bin/catalina.sh" run
SH
chmod 0755 "$root/rootfs/usr/local/bin/start-tomcat"
cat > "$root/rootfs/var/lib/tomcat10/webapps/ROOT/index.html" <<HTML
<!doctype html>
<html><head><title>tomcat</title></head>
<body><h1>Hello from the tomcat cartridge</h1><p>Apache Tomcat $tomcat_version (Debian bookworm).</p></body></html>
HTML

cat > "$root/cartridge.json" <<JSON
{
  "name": "$name",
  "version": "$version",
  "description": "Apache Tomcat $tomcat_version on Debian bookworm's default JRE",
  "start": ["/usr/local/bin/start-tomcat"],
  "ports": [{"name": "http", "port": 8080, "protocol": "tcp"}],
  "env": {"PORT": "8080", "BIND_ADDRESS": "0.0.0.0", "JAVA_OPTS": "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"},
  "resources": {"cpuMillis": 500, "memoryMiB": 256},
  "health": {"http": "/"},
  "runtimes": ["lxc", "docker"],
  "appDir": "/var/lib/tomcat10/webapps"
}
JSON

pack_image "$root" "$out" "$name" "$version"

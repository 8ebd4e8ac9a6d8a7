#!/bin/sh
# Builds the ws-echo cartridge image from Debian bookworm packages with mmdebstrap:
#   target/ws-echo-<version>.tar.gz   (cartridge.json + rootfs/: essential Debian + websocketd)
# and prints its digest. The process is websocketd on $BIND_ADDRESS:$PORT:
#   - a WebSocket on any path: first a text message "hello from <host name>" (which process answered), then
#     every text message sent back as it came (websocketd's line mode over `cat`);
#   - POST /count: a CGI that reads the request body to its end and answers its length in bytes
#     (`wc -c`; websocketd hands the body to the CGI's stdin as it arrives, so nothing holds it whole);
#   - anything else: static files from /var/www/html (appDir), / answers the health check.
# Time stamps are fixed (SOURCE_DATE_EPOCH), entries sorted, owners numeric: the same package versions
# give the same bytes.
#
# Usage: cartridges/ws-echo/build.sh [version]     (default 1.0.0; env VERSION and MIRROR work too)
# Needs: root, mmdebstrap, a reachable Debian mirror (~25 s, ~15 MB gz).
set -eu
umask 022
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../pack-image.sh"
version=${1:-${VERSION:-1.0.0}}
name=ws-echo
out="$here/target"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1704067200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/image"
mkdir -p "$root"
debian_rootfs "$root/rootfs" websocketd
mkdir -p "$root/rootfs/var/www/html" "$root/rootfs/var/www/cgi-bin"
websocketd_version=$(chroot "$root/rootfs" dpkg-query -W -f='${Version}' websocketd)

cat > "$root/rootfs/usr/local/bin/start-ws-echo" <<'SH'
#!/bin/sh
# ws-echo cartridge: websocketd in the foreground as the container's init, on $BIND_ADDRESS:$PORT.
# --closems: a closed WebSocket's echo process gets no grace period (it only copies lines).
exec websocketd --address="${BIND_ADDRESS:-0.0.0.0}" --port="${PORT:-8080}" --loglevel=error \
    --staticdir="${APP_DIR:-/var/www/html}" --cgidir=/var/www/cgi-bin /usr/local/bin/ws-echo
SH
cat > "$root/rootfs/usr/local/bin/ws-echo" <<'SH'
#!/bin/sh
# One WebSocket: say which process (container) answers, then send every message back.
echo "hello from $(cat /proc/sys/kernel/hostname)"
exec cat
SH
cat > "$root/rootfs/var/www/cgi-bin/count" <<'SH'
#!/bin/sh
# POST /count: the request body's length in bytes, counted as it streams in.
bytes=$(wc -c)
printf 'Content-Type: text/plain\r\n\r\n%s\n' "$bytes"
SH
chmod 0755 "$root/rootfs/usr/local/bin/start-ws-echo" "$root/rootfs/usr/local/bin/ws-echo" "$root/rootfs/var/www/cgi-bin/count"
cat > "$root/rootfs/var/www/html/index.html" <<HTML
<!doctype html>
<html><head><title>ws-echo</title></head>
<body><h1>Hello from the ws-echo cartridge</h1>
<p>websocketd $websocketd_version (Debian bookworm): a WebSocket on any path echoes each message; POST /count answers the body's length.</p></body></html>
HTML

cat > "$root/cartridge.json" <<JSON
{
  "name": "$name",
  "version": "$version",
  "description": "WebSocket echo and body counter: websocketd $websocketd_version on Debian bookworm",
  "start": ["/usr/local/bin/start-ws-echo"],
  "ports": [{"name": "http", "port": 8080, "protocol": "tcp"}],
  "env": {"PORT": "8080", "BIND_ADDRESS": "0.0.0.0", "APP_DIR": "/var/www/html"},
  "resources": {"cpuMillis": 500, "memoryMiB": 64},
  "health": {"http": "/"},
  "runtimes": ["lxc", "docker"],
  "appDir": "/var/www/html"
}
JSON

pack_image "$root" "$out" "$name" "$version"

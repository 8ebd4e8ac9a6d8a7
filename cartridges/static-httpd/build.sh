#!/bin/sh
# Builds the static-httpd cartridge image reproducibly from Debian's busybox-static:
#   target/static-httpd-<version>.tar.gz   (cartridge.json + rootfs/ with /bin/busybox, /bin/sh, /www)
# and prints its digest (sha256:<hex>). Besides static files it answers GET /cgi-bin/work?ms=N&spin=M
# (sleep N ms, default 100, after M shell loop turns of CPU), so that requests in flight and CPU follow
# the request rate: the autoscaler's load tests and benchmarks drive it. It serves an application metric,
# the gauge queue_depth, at /cgi-bin/metrics (its manifest's "metrics"), set per process with
# GET /cgi-bin/gauge?queue_depth=N: a policy can scale on it. The same Debian package gives the same bytes: fixed mtimes,
# sorted entries, numeric owner 0, gzip without a name or time stamp.
#
# Usage: cartridges/static-httpd/build.sh [version]      (default 1.0.0; env VERSION works too)
# Needs: busybox-static (installed with apt-get when missing and run as root), GNU tar, gzip.
# The image runs under LXC (rootfs/ as the container's root, start as lxc.init.cmd) and under
# Docker (rootfs/ through `docker import`, start as CMD): see README.md beside this script.
set -eu
umask 022
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
version=${1:-${VERSION:-1.0.0}}
name=static-httpd
out=${OUT_DIR:-"$here/target"}
busybox=/bin/busybox

if ! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q "install ok installed"; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y -q busybox-static >/dev/null
    else
        echo "busybox-static is not installed: apt-get install busybox-static" >&2
        exit 1
    fi
fi
if ! file -L "$busybox" 2>/dev/null | grep -q "statically linked" && ! ldd "$busybox" 2>&1 | grep -q "not a dynamic"; then
    echo "$busybox is not statically linked (install busybox-static, not busybox)" >&2
    exit 1
fi
debian_version=$(dpkg-query -W -f='${Version}' busybox-static)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/image"
mkdir -p "$root/rootfs/bin" "$root/rootfs/www/cgi-bin" "$root/rootfs/tmp" "$root/rootfs/etc"
cp "$busybox" "$root/rootfs/bin/busybox"
chmod 0755 "$root/rootfs/bin/busybox"
ln -s busybox "$root/rootfs/bin/sh"
ln -s busybox "$root/rootfs/bin/httpd"
chmod 1777 "$root/rootfs/tmp"
# One argv word as the start command: lxc.init.cmd splits on blanks and does not honour quotes.
cat > "$root/rootfs/bin/start-httpd" <<'SH'
#!/bin/sh
# static-httpd cartridge: serve /www on $BIND_ADDRESS:$PORT in the foreground, as the container's init.
exec /bin/busybox httpd -f -p "${BIND_ADDRESS:-0.0.0.0}:${PORT:-8080}" -h /www
SH
chmod 0755 "$root/rootfs/bin/start-httpd"
# A CGI whose cost is its query: busybox httpd runs it per request (a fork of busybox sh), so load
# follows the request rate. Numbers only, capped; anything else falls back to the defaults.
cat > "$root/rootfs/www/cgi-bin/work" <<'SH'
#!/bin/sh
# GET /cgi-bin/work?ms=N&spin=M: M turns of a shell loop (CPU), then a sleep of N ms (default 100).
ms=100; spin=0
IFS='&'; set -- $QUERY_STRING; unset IFS
for kv; do case "$kv" in ms=*) ms=${kv#ms=};; spin=*) spin=${kv#spin=};; esac; done
case "$ms" in ''|*[!0-9]*) ms=100;; esac
case "$spin" in ''|*[!0-9]*) spin=0;; esac
[ "$ms" -gt 10000 ] && ms=10000
[ "$spin" -gt 1000000 ] && spin=1000000
i=0; while [ "$i" -lt "$spin" ]; do i=$((i + 1)); done
[ "$ms" -gt 0 ] && /bin/busybox usleep $((ms * 1000))
printf 'Content-Type: text/plain\r\n\r\n'
echo "worked ${ms} ms, spun ${spin}, pid $$"
SH
chmod 0755 "$root/rootfs/www/cgi-bin/work"
# An application metric the caller controls: /cgi-bin/gauge?queue_depth=N keeps N (digits only, capped) in
# /tmp, /cgi-bin/metrics serves it as Prometheus text.
cat > "$root/rootfs/www/cgi-bin/gauge" <<'SH'
#!/bin/sh
# GET /cgi-bin/gauge?queue_depth=N: this process's queue_depth gauge becomes N (0 to 1000000).
n=${QUERY_STRING#queue_depth=}
case "$QUERY_STRING" in queue_depth=*) ;; *) n=x;; esac
case "$n" in ''|*[!0-9]*) printf 'Status: 400 Bad Request\r\nContent-Type: text/plain\r\n\r\n'; echo "use ?queue_depth=N"; exit 0;; esac
[ "${#n}" -gt 7 ] && n=1000000
[ "$n" -gt 1000000 ] && n=1000000
echo "$n" > /tmp/queue_depth.new && mv /tmp/queue_depth.new /tmp/queue_depth
printf 'Content-Type: text/plain\r\n\r\n'
echo "queue_depth $n"
SH
chmod 0755 "$root/rootfs/www/cgi-bin/gauge"
cat > "$root/rootfs/www/cgi-bin/metrics" <<'SH'
#!/bin/sh
# Prometheus text: the queue_depth gauge (0 until /cgi-bin/gauge sets it).
n=$(cat /tmp/queue_depth 2>/dev/null)
case "$n" in ''|*[!0-9]*) n=0;; esac
printf 'Content-Type: text/plain; version=0.0.4\r\n\r\n'
echo "# HELP queue_depth Jobs waiting in this process (set through /cgi-bin/gauge)."
echo "# TYPE queue_depth gauge"
echo "queue_depth $n"
SH
chmod 0755 "$root/rootfs/www/cgi-bin/metrics"
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/rootfs/etc/group"
cat > "$root/rootfs/www/index.html" <<HTML
<!doctype html>
<html><head><title>static-httpd</title></head>
<body><h1>Hello from the static-httpd cartridge</h1>
<p>busybox httpd $debian_version, cartridge version $version.</p>
<p><a href="/cgi-bin/work?ms=100">/cgi-bin/work?ms=100&amp;spin=0</a>: a request that costs what it asks.</p></body></html>
HTML
# The process gets PORT (and BIND_ADDRESS, 0.0.0.0 by default; an LXC process sharing the VM's
# network gets 127.0.0.1) and must listen there. exec: httpd becomes the container's init.
cat > "$root/cartridge.json" <<JSON
{
  "name": "$name",
  "version": "$version",
  "description": "busybox httpd serving /www (Debian busybox-static $debian_version)",
  "start": ["/bin/start-httpd"],
  "ports": [{"name": "http", "port": 8080, "protocol": "tcp"}],
  "env": {"PORT": "8080", "BIND_ADDRESS": "0.0.0.0"},
  "resources": {"cpuMillis": 100, "memoryMiB": 16},
  "health": {"http": "/"},
  "metrics": {"http": "/cgi-bin/metrics"},
  "runtimes": ["lxc", "docker"],
  "appDir": "/www"
}
JSON
find "$root" -exec touch -h -d @0 {} +

mkdir -p "$out"
image="$out/$name-$version.tar.gz"
tar --sort=name --format=gnu --numeric-owner --owner=0 --group=0 --mtime=@0 \
    -C "$root" -cf - cartridge.json rootfs | gzip -n -9 > "$image.tmp"
mv "$image.tmp" "$image"
echo "$image"
echo "sha256:$(sha256sum "$image" | cut -d' ' -f1)"

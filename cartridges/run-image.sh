#!/bin/sh
# Runs a cartridge image once under LXC and once under Docker, the way the agent will, and fetches
# its page from each: a by-hand check that one image serves under both runtimes.
#   cartridges/run-image.sh <image.tar.gz> [path]       (needs root, lxc, dockerd, python3, curl)
# LXC: rootfs/ as a dir rootfs, the VM's network (lxc.net.0.type = none), PORT=<free port>,
# BIND_ADDRESS=127.0.0.1, start[0] as lxc.init.cmd. Docker: `docker import` of rootfs/, start as
# CMD, -p 127.0.0.1:<free port>:<manifest port>, --init. Everything it creates is removed again.
set -eu
img=$1
path=${2:-/}
work=$(mktemp -d)
lxcdir=$(mktemp -d)
tag="stratos-check/$(basename "$img" .tar.gz | tr 'A-Z+~' 'a-z--'):check"
name="stratos-check-$$"
cleanup() {
    lxc-stop -P "$lxcdir" -n "$name" -k >/dev/null 2>&1 || true
    /usr/bin/docker rm -f "$name" >/dev/null 2>&1 || true
    /usr/bin/docker rmi "$tag" >/dev/null 2>&1 || true
    rm -rf "$work" "$lxcdir"
}
trap cleanup EXIT
tar -xf "$img" -C "$work"
manifest="$work/cartridge.json"
field() { python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$manifest" "$1"; }
start=$(field "m['start'][0]")
inner=$(field "m['ports'][0]['port'] if m.get('ports') else 8080")
envs=$(field "'\n'.join(k+'='+v for k,v in m.get('env',{}).items())")
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
fetch() { # url -> prints status and the page's first bytes, waits up to 30 s
    i=0; while [ $i -lt 300 ]; do
        if curl -sf "$1" -o "$work/page"; then echo "200 $(head -c 100 "$work/page" | tr '\n' ' ')"; return 0; fi
        i=$((i+1)); sleep 0.1
    done; echo "no answer from $1"; return 1
}
status=0

port=$(free)
mkdir -p "$lxcdir/$name"
{
    echo "lxc.uts.name = $name"
    echo "lxc.rootfs.path = dir:$work/rootfs"
    echo "lxc.apparmor.profile = unconfined"
    echo "lxc.mount.auto = proc:mixed sys:ro cgroup:mixed"
    echo "lxc.autodev = 1"
    echo "lxc.net.0.type = none"
    echo "lxc.signal.halt = SIGKILL"
    echo "$envs" | while IFS= read -r e; do [ -n "$e" ] && echo "lxc.environment = $e"; done
    echo "lxc.environment = PORT=$port"
    echo "lxc.environment = BIND_ADDRESS=127.0.0.1"
    echo "lxc.init.cmd = $start"
} > "$lxcdir/$name/config"
lxc-start -P "$lxcdir" -n "$name" -d -o "$lxcdir/log"
printf 'LXC:    '; fetch "http://127.0.0.1:$port$path" || status=1
lxc-stop -P "$lxcdir" -n "$name" -k >/dev/null 2>&1 || true

tar -C "$work/rootfs" -c . | /usr/bin/docker import --change "CMD [\"$start\"]" - "$tag" >/dev/null
port=$(free)
set --
for e in $envs; do set -- "$@" -e "$e"; done
/usr/bin/docker run -d --init --name "$name" "$@" -e PORT="$inner" -e BIND_ADDRESS=0.0.0.0 \
    -p "127.0.0.1:$port:$inner" "$tag" >/dev/null
printf 'Docker: '; fetch "http://127.0.0.1:$port$path" || status=1
exit $status

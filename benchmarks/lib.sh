# Shell functions the benchmark scripts share (sourced: `. "$(dirname "$0")/lib.sh"`). Every controller they start
# is a distribution unpacked into $CTL with free ports on 127.0.0.1, admin karaf/karaf (the distribution's default).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
curl_api() { curl -s -u karaf:karaf -H 'Content-Type: application/json' "$@"; }

# setcfg <file in etc/> <key> <value>: sets one key of a .cfg of the controller in $CTL, dropping its old line
setcfg() { local f="$CTL/etc/$1"; sed -i "/^\s*#\?\s*$2\s*=/d" "$f" 2>/dev/null || true; echo "$2 = $3" >> "$f"; }

# controller_unpack <dist tar.gz>: unpacks into $CTL and puts HTTP, SSH, JMX and the router on free ports
# (HTTP SSH JMX JMXS ROUTER, and API, are set for the caller); the autoscaler is off unless the caller turns it on.
controller_unpack() {
  rm -rf "$CTL"; mkdir -p "$CTL"; tar xzf "$1" -C "$CTL" --strip-components=1
  HTTP=$(free_port); SSH=$(free_port); JMX=$(free_port); JMXS=$(free_port); ROUTER=$(free_port)
  API="http://127.0.0.1:$HTTP/stratos/api/v1"
  setcfg org.ops4j.pax.web.cfg org.osgi.service.http.port "$HTTP"
  setcfg org.apache.karaf.shell.cfg sshPort "$SSH"
  setcfg org.apache.karaf.management.cfg rmiRegistryPort "$JMX"
  setcfg org.apache.karaf.management.cfg rmiServerPort "$JMXS"
  setcfg io.stratos.lxc.router.cfg port "$ROUTER"
  setcfg io.stratos.lxc.controller.cfg routerPort "$ROUTER"
  setcfg io.stratos.lxc.autoscaler.cfg enabled false
}

# controller_await: waits until the controller in $CTL answers /partitions and /subscriptions and has the preloaded
# static-httpd cartridge (the REST resources are published together, but the ones used are waited for, as the
# end-to-end tests do); exits with the console's last lines when it does not within 5 minutes.
controller_await() {
  for _ in $(seq 1 600); do
    [ "$(curl_api -o /dev/null -w '%{http_code}' "$API/partitions")" = 200 ] \
      && [ "$(curl_api -o /dev/null -w '%{http_code}' "$API/subscriptions")" = 200 ] \
      && curl_api "$API/cartridges" | grep -q '"static-httpd"' && return 0
    sleep 0.5
  done
  say "controller not ready: $(tail -5 "$CTL/console.log")"; exit 1
}

# Kills the controller in $CTL and its local VMs, and removes what the VMs left (their containers, inside the VM's
# namespace if it has one, then its namespace, veth and bridge), as ./stratos down --vms does.
stop_controller() {
  [ -n "$CTL" ] || return 0
  for f in "$CTL"/data/iaas-local/*/pid; do [ -f "$f" ] && kill -9 -- "-$(cat "$f")" 2>/dev/null; done
  [ -f "$CTL/karaf.pid" ] && kill -9 "$(cat "$CTL/karaf.pid")" 2>/dev/null
  sleep 1
  for vm in "$CTL"/data/iaas-local/*/; do
    if [ -x "$vm/home/bin/stratos-agent-cleanup" ]; then
      if [ -x "$vm/in-vm" ]; then "$vm/in-vm" "$vm/home/bin/stratos-agent-cleanup" "$vm/agent-data" "$(basename "$vm")"
      else "$vm/home/bin/stratos-agent-cleanup" "$vm/agent-data" "$(basename "$vm")"; fi 2>/dev/null
    fi
    [ -x "$vm/remove-network" ] && "$vm/remove-network"
  done
  CTL=""
}

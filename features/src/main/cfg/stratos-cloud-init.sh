#!/bin/sh
# Stratos LXC: cloud-init user data of a partition VM (the jclouds adapter's userDataTemplate).
# Runs once as root at first boot on a Debian 12 (bookworm) image: installs a JRE 17 and LXC from Debian's
# packages, downloads and unpacks the agent distribution, writes /etc/default/stratos-agent and starts the
# agent, which registers with the controller using this VM's join token.
#
# The adapter replaces the placeholders controllerUrl, joinToken, vmId, partition, cpuMillis, memoryMiB,
# portRangeStart, portRangeEnd, agentDistributionUrl and agentEnvironment, each written as a dollar sign and the
# name in braces; each value is escaped for a single-quoted shell string, so keep them inside '...'. Any other
# dollar-brace expression stays as written (plain shell).
# The join token is a secret: this script and /etc/default/stratos-agent are readable by root only
# (cloud-init keeps user data under /var/lib/cloud; on EC2 use IMDSv2 so that other users cannot read it).
set -eu
exec >>/var/log/stratos-agent-install.log 2>&1
echo 'stratos: installing the agent of VM ${vmId} of partition ${partition}'; date -u

AGENT_HOME=/opt/stratos/agent
DATA_DIR=/var/lib/stratos-agent

# 1. JRE 17, LXC (lxc-* tools, uidmap for unprivileged containers), curl. Docker is optional: add docker.io
#    here and "docker" to STRATOS_AGENT_RUNTIMES to offer the docker runtime too; the agent then installs its
#    Docker runtime (feature stratos-agent-docker, in its own repository) when a docker process is wanted.
export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3 4 5; do
  apt-get update -q && apt-get install -y -q --no-install-recommends \
      openjdk-17-jre-headless lxc uidmap curl ca-certificates tar gzip && break
  echo "stratos: apt-get failed (attempt $attempt), retrying"; sleep 10
done
grep -q '^root:100000:65536$' /etc/subuid || echo 'root:100000:65536' >> /etc/subuid
grep -q '^root:100000:65536$' /etc/subgid || echo 'root:100000:65536' >> /etc/subgid

# 2. The agent distribution.
mkdir -p "$AGENT_HOME" "$DATA_DIR"
curl -fsSL --retry 5 --retry-delay 3 -o /tmp/stratos-lxc-agent.tar.gz '${agentDistributionUrl}'
tar xzf /tmp/stratos-lxc-agent.tar.gz -C "$AGENT_HOME" --strip-components=1
rm -f /tmp/stratos-lxc-agent.tar.gz

# 3. Its settings: every key of etc/io.stratos.lxc.agent.cfg can be set as STRATOS_AGENT_<KEY>.
umask 077
cat > /etc/default/stratos-agent <<'SETTINGS'
STRATOS_AGENT_CONTROLLER_URL='${controllerUrl}'
STRATOS_AGENT_JOIN_TOKEN='${joinToken}'
STRATOS_AGENT_VM_ID='${vmId}'
STRATOS_AGENT_PARTITION='${partition}'
STRATOS_AGENT_CPU_MILLIS='${cpuMillis}'
STRATOS_AGENT_MEMORY_MIB='${memoryMiB}'
STRATOS_AGENT_PORT_RANGE_START='${portRangeStart}'
STRATOS_AGENT_PORT_RANGE_END='${portRangeEnd}'
STRATOS_AGENT_DATA_DIR=/var/lib/stratos-agent
${agentEnvironment}
SETTINGS
umask 022

# 4. Start it now and at every boot: a systemd unit where systemd runs, else bin/karaf daemon.
if [ -d /run/systemd/system ]; then
  cat > /etc/systemd/system/stratos-agent.service <<UNIT
[Unit]
Description=Stratos LXC agent
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
EnvironmentFile=/etc/default/stratos-agent
ExecStart=$AGENT_HOME/bin/karaf server
ExecStop=$AGENT_HOME/bin/stop
# the agent leaves its containers running on purpose (it re-adopts them after a restart)
KillMode=process
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable --now stratos-agent.service
else
  set -a; . /etc/default/stratos-agent; set +a
  "$AGENT_HOME/bin/karaf" daemon </dev/null >/var/log/stratos-agent.log 2>&1 &
fi
echo "stratos: agent started at $(date -u)"

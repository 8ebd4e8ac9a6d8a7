// Partition VMs and their agents: state, heartbeat, runtimes, capacity and allocation; the agent's version and
// image cache as soon as the API reports them (fields agentVersion and cachedImages of a VM).
import {api} from '../api.js';
import {h, fill, bar, stateBadge} from '../dom.js';
import {load} from '../errors.js';
import {ago, dateTime, secondsSince, shortDigest} from '../format.js';

export function create(root) {
  const error = h('p', {class: 'error', hidden: true});
  const head = h('tr', {});
  const rows = h('tbody', {});
  root.append(h('h1', {}, 'VMs & agents'),
    h('p', {class: 'muted'}, 'Every partition VM and the agent on it, as the controller last heard from it.'),
    error,
    h('table', {id: 'vms', class: 'card'}, h('thead', {}, head), rows));

  return {
    async refresh() {
      const [vms, cartridges] = await Promise.all([
        load(error, () => api.get('/vms')),
        load(null, () => api.get('/cartridges')),
      ]);
      if (!vms.ok) return;
      const images = new Map();
      for (const c of cartridges.ok ? cartridges.value : []) {
        for (const v of c.versions || []) images.set(v.digest, `${c.name}:${v.version}`);
      }
      const withVersion = vms.value.some(vm => 'agentVersion' in vm);
      const withCache = vms.value.some(vm => 'cachedImages' in vm);
      fill(head, ['VM', 'Address', 'Partition', 'Adapter', 'State', 'Agent', withVersion ? 'Agent version' : null, 'Last heartbeat',
        'Runtimes', withCache ? 'Image cache' : null, 'Processes', 'CPU (millicores)', 'Memory (MiB)', 'Detail']
        .filter(t => t).map(t => h('th', {}, t)));
      // re-rendered every time: the heartbeat ages move on
      fill(rows, vms.value.length ? vms.value.map(vm => h('tr', {dataset: {vm: vm.id, state: vm.state}},
        h('td', {}, h('code', {}, vm.id)),
        h('td', {}, vm.address ? h('code', {}, vm.address) : h('span', {class: 'muted'}, 'not registered')),
        h('td', {}, vm.partition),
        h('td', {}, vm.adapter, vm.adapterRef ? h('div', {class: 'muted small'}, vm.adapterRef) : null),
        h('td', {}, stateBadge(vm.state)),
        h('td', {}, vm.agentId ? h('code', {}, vm.agentId) : h('span', {class: 'muted'}, 'not registered')),
        withVersion ? h('td', {}, vm.agentVersion || '') : null,
        h('td', {class: secondsSince(vm.lastHeartbeat) > 10 ? 'stale' : '', title: dateTime(vm.lastHeartbeat)}, ago(vm.lastHeartbeat)),
        h('td', {}, (vm.runtimes || []).join(', ')),
        withCache ? h('td', {class: 'small'}, (vm.cachedImages || []).map(d =>
          h('div', {title: d}, images.get(d) || shortDigest(d)))) : null,
        h('td', {class: 'num'}, vm.processes),
        h('td', {}, bar(vm.allocated.cpuMillis, vm.capacity.cpuMillis, 'm')),
        h('td', {}, bar(vm.allocated.memoryMiB, vm.capacity.memoryMiB, 'MiB')),
        h('td', {class: 'muted'}, vm.detail || '')))
        : h('tr', {}, h('td', {colspan: 14, class: 'muted'}, 'No VMs: create a partition.')));
    },
  };
}

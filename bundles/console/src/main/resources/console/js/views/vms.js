// Partition VMs and their agents: state, heartbeat, runtimes, capacity and allocation.
import {api} from '../api.js';
import {h, fill, bar, stateBadge} from '../dom.js';
import {load} from '../errors.js';
import {ago, dateTime, secondsSince} from '../format.js';

export function create(root) {
  const error = h('p', {class: 'error', hidden: true});
  const rows = h('tbody', {});
  root.append(h('h1', {}, 'VMs & agents'),
    h('p', {class: 'muted'}, 'Every partition VM and the agent on it, as the controller last heard from it.'),
    error,
    h('table', {id: 'vms', class: 'card'},
      h('thead', {}, h('tr', {}, ['VM', 'Partition', 'Adapter', 'State', 'Agent', 'Last heartbeat', 'Runtimes', 'Processes', 'CPU (millicores)', 'Memory (MiB)', 'Detail'].map(t => h('th', {}, t)))),
      rows));

  return {
    async refresh() {
      const vms = await load(error, () => api.get('/vms'));
      if (!vms.ok) return;
      // re-rendered every time: the heartbeat ages move on
      fill(rows, vms.value.length ? vms.value.map(vm => h('tr', {dataset: {vm: vm.id, state: vm.state}},
        h('td', {}, h('code', {}, vm.id)),
        h('td', {}, vm.partition),
        h('td', {}, vm.adapter, vm.adapterRef ? h('div', {class: 'muted small'}, vm.adapterRef) : null),
        h('td', {}, stateBadge(vm.state)),
        h('td', {}, vm.agentId ? h('code', {}, vm.agentId) : h('span', {class: 'muted'}, 'not registered')),
        h('td', {class: secondsSince(vm.lastHeartbeat) > 10 ? 'stale' : '', title: dateTime(vm.lastHeartbeat)}, ago(vm.lastHeartbeat)),
        h('td', {}, (vm.runtimes || []).join(', ')),
        h('td', {class: 'num'}, vm.processes),
        h('td', {}, bar(vm.allocated.cpuMillis, vm.capacity.cpuMillis, 'm')),
        h('td', {}, bar(vm.allocated.memoryMiB, vm.capacity.memoryMiB, 'MiB')),
        h('td', {class: 'muted'}, vm.detail || '')))
        : h('tr', {}, h('td', {colspan: 11, class: 'muted'}, 'No VMs: create a partition.')));
    },
  };
}

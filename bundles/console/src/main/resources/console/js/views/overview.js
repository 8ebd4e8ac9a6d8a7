// Overview: partitions with their VMs and used/free capacity; counts of processes and VMs per state.
import {api} from '../api.js';
import {h, fill, bar, stateBadge, stateCounts, PROCESS_STATES, VM_STATES} from '../dom.js';
import {load} from '../errors.js';
import {ago, secondsSince} from '../format.js';

export function create(root) {
  const counts = h('div', {class: 'cards', id: 'overview-counts'});
  const countsError = h('p', {class: 'error', hidden: true});
  const partitions = h('div', {id: 'overview-partitions'});
  const partitionsError = h('p', {class: 'error', hidden: true});
  root.append(
    h('h1', {}, 'Overview'),
    countsError, counts,
    h('h2', {}, 'Partitions'),
    partitionsError, partitions);

  return {
    async refresh() {
      const [subs, vmList, partitionList, cartridgeList] = await Promise.all([
        load(countsError, () => api.get('/subscriptions')),
        load(partitionsError, () => api.get('/vms')),
        load(partitionsError, () => api.get('/partitions')),
        load(countsError, () => api.get('/cartridges')),
      ]);
      if (subs.ok && vmList.ok && cartridgeList.ok) renderCounts(counts, subs.value, vmList.value, cartridgeList.value);
      if (vmList.ok && partitionList.ok) renderPartitions(partitions, partitionList.value, vmList.value);
    },
  };
}

function renderCounts(el, subs, vms, cartridges) {
  const processes = {};
  for (const sub of subs) {
    for (const [state, n] of Object.entries(sub.processes || {})) processes[state] = (processes[state] || 0) + n;
  }
  const vmStates = {};
  for (const vm of vms) vmStates[vm.state] = (vmStates[vm.state] || 0) + 1;
  const total = Object.values(processes).reduce((a, b) => a + b, 0);
  fill(el,
    card('Processes', total, stateCounts(processes, PROCESS_STATES), 'processes'),
    card('VMs', vms.length, stateCounts(vmStates, VM_STATES), 'vms'),
    card('Subscriptions', subs.length, h('a', {href: '#/subscriptions'}, 'manage'), 'subscriptions'),
    card('Cartridges', cartridges.length,
      h('span', {class: 'muted'}, `${cartridges.reduce((n, c) => n + (c.versions || []).length, 0)} versions`), 'cartridges'));
}

function card(title, number, detail, name) {
  return h('section', {class: 'card stat', dataset: {count: name}},
    h('h3', {}, title), h('div', {class: 'number'}, number), h('div', {class: 'detail'}, detail));
}

function renderPartitions(el, partitions, vms) {
  if (!partitions.length) {
    fill(el, h('p', {class: 'muted'}, 'No partitions yet: create one with POST /partitions or stratos:partition-create.'));
    return;
  }
  fill(el, partitions.map(p => {
    const mine = vms.filter(vm => vm.partition === p.name);
    const cpu = mine.reduce((a, vm) => ({used: a.used + vm.allocated.cpuMillis, total: a.total + vm.capacity.cpuMillis}), {used: 0, total: 0});
    const mem = mine.reduce((a, vm) => ({used: a.used + vm.allocated.memoryMiB, total: a.total + vm.capacity.memoryMiB}), {used: 0, total: 0});
    return h('section', {class: 'card partition', dataset: {partition: p.name}},
      h('header', {class: 'partition-head'},
        h('h3', {}, p.name),
        h('span', {class: 'muted'}, `${p.cartridge} · adapter ${p.adapter}`),
        stateBadge(p.state),
        h('span', {class: 'muted'}, `${p.readyVms} of ${p.desiredVms} VMs ready (${p.minVms}..${p.maxVms})`),
        p.pending ? h('span', {class: 'badge state-pending'}, `${p.pending} pending`) : null,
        p.shortfall && (p.shortfall.cpuMillis || p.shortfall.memoryMiB)
          ? h('span', {class: 'badge state-failed'}, `short of ${p.shortfall.cpuMillis} m CPU, ${p.shortfall.memoryMiB} MiB`) : null),
      h('div', {class: 'totals'},
        h('div', {}, h('span', {class: 'bar-title'}, 'CPU'), bar(cpu.used, cpu.total, 'm')),
        h('div', {}, h('span', {class: 'bar-title'}, 'Memory'), bar(mem.used, mem.total, 'MiB'))),
      mine.length ? h('table', {class: 'vms'},
        h('thead', {}, h('tr', {}, ['VM', 'State', 'CPU (millicores)', 'Memory (MiB)', 'Processes', 'Heartbeat'].map(t => h('th', {}, t)))),
        h('tbody', {}, mine.map(vm => h('tr', {dataset: {vm: vm.id}},
          h('td', {}, h('code', {}, vm.id)),
          h('td', {}, stateBadge(vm.state)),
          h('td', {}, bar(vm.allocated.cpuMillis, vm.capacity.cpuMillis, 'm')),
          h('td', {}, bar(vm.allocated.memoryMiB, vm.capacity.memoryMiB, 'MiB')),
          h('td', {class: 'num'}, vm.processes),
          h('td', {class: secondsSince(vm.lastHeartbeat) > 10 ? 'stale' : ''}, ago(vm.lastHeartbeat))))))
        : h('p', {class: 'muted'}, 'No VMs.'));
  }));
}

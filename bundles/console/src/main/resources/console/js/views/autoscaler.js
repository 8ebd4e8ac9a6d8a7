// The autoscaler: its policies and its decision log with reasons.
import {api} from '../api.js';
import {h, fill, renderIfChanged} from '../dom.js';
import {load} from '../errors.js';
import {dateTime} from '../format.js';
import {metricsText} from './subscription.js';

export function create(root) {
  const policiesError = h('p', {class: 'error', hidden: true});
  const policies = h('tbody', {});
  const decisionsError = h('p', {class: 'error', hidden: true});
  const decisions = h('tbody', {});
  const filter = h('input', {id: 'decisions-filter', type: 'search', placeholder: 'subscription or partition'});
  let last = [];
  filter.addEventListener('input', () => render());

  root.append(h('h1', {}, 'Autoscaler'),
    h('section', {class: 'card'}, h('h2', {}, 'Policies'), policiesError,
      h('table', {id: 'policies'},
        h('thead', {}, h('tr', {}, ['Policy', 'Metric targets', 'Processes', 'Steps up/down', 'Cool-down up', 'Stabilisation down', 'Tolerance', 'Predict', 'To zero after'].map(t => h('th', {}, t)))),
        policies)),
    h('section', {class: 'card'},
      h('div', {class: 'title-row'}, h('h2', {}, 'Decisions'), h('label', {class: 'inline'}, 'Filter ', filter)),
      decisionsError,
      h('table', {id: 'decisions'},
        h('thead', {}, h('tr', {}, ['Time', 'Level', 'Target', 'Policy', 'Change', 'Metrics', 'Reason'].map(t => h('th', {}, t)))),
        decisions)));

  function render() {
    const text = filter.value.trim();
    const shown = text ? last.filter(d => d.target.includes(text)) : last;
    renderIfChanged(decisions, [shown, text], () => fill(decisions, shown.length ? shown.map(d =>
      h('tr', {class: d.to > d.from ? 'up' : d.to < d.from ? 'down' : ''},
        h('td', {}, dateTime(d.time)),
        h('td', {}, d.level === 'SUBSCRIPTION' ? 'processes' : 'VMs'),
        h('td', {}, d.level === 'SUBSCRIPTION' ? h('a', {href: `#/subscriptions/${d.target}`}, d.target) : d.target),
        h('td', {}, d.policy || ''),
        h('td', {class: 'num change'}, `${d.from} ${d.to > d.from ? '↑' : d.to < d.from ? '↓' : '='} ${d.to}`),
        h('td', {}, metricsText(d.metrics)),
        h('td', {class: 'reason'}, d.reason)))
      : h('tr', {}, h('td', {colspan: 7, class: 'muted'}, 'No decisions yet.'))));
  }

  return {
    async refresh() {
      const [p, d] = await Promise.all([
        load(policiesError, () => api.get('/autoscale-policies')),
        load(decisionsError, () => api.get('/autoscaler/decisions?limit=200')),
      ]);
      if (p.ok) {
        renderIfChanged(policies, p.value, () => fill(policies, p.value.length ? p.value.map(x => h('tr', {},
          h('td', {}, h('strong', {}, x.name)),
          h('td', {}, Object.entries(x.metrics || {}).map(([k, v]) => targetText(k, v)).join(', ')),
          h('td', {class: 'num'}, `${x.minProcesses ?? 'sub'}..${x.maxProcesses ?? 'sub'}`),
          h('td', {class: 'num'}, `${x.scaleUpStep ?? ''} / ${x.scaleDownStep ?? ''}`),
          h('td', {class: 'num'}, x.scaleUpCooldownSeconds !== undefined ? `${x.scaleUpCooldownSeconds} s` : ''),
          h('td', {class: 'num'}, x.scaleDownStabilizationSeconds !== undefined ? `${x.scaleDownStabilizationSeconds} s` : ''),
          h('td', {class: 'num'}, x.tolerance ?? ''),
          h('td', {}, x.predict ? 'yes' : 'no'),
          h('td', {class: 'num'}, x.scaleToZeroAfterSeconds ? `${x.scaleToZeroAfterSeconds} s` : 'never')))
          : h('tr', {}, h('td', {colspan: 9, class: 'muted'}, 'No policies: subscriptions keep their manual scale.'))));
      }
      if (d.ok) {
        last = d.value;
        render();
      }
    },
  };
}

/** A metric target as shown: an application metric by its own name and aggregate, e.g. "custom queue_depth (avg) 5". */
export function targetText(key, target) {
  return key === 'custom' && target.name ? `custom ${target.name} (${target.aggregate || 'avg'}) ${target.target}` : `${key} ${target.target}`;
}

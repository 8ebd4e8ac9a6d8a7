// One subscription: its processes (VM, state, CPU, memory), scaling within min..max, and a live chart with the
// autoscaler's decisions marked on it.
import {api, ConnectionLost} from '../api.js';
import {h, fill, confirmButton, renderIfChanged, stateBadge, subscriptionProcesses, PROCESS_STATES} from '../dom.js';
import {formErrors, load, showError} from '../errors.js';
import {dateTime, mib, percent, time} from '../format.js';
import {History, LiveChart, WINDOW_MINUTES} from '../chart.js';
import {endpointLinks} from './subscriptions.js';

export function create(root, [alias], shell) {
  const path = `/subscriptions/${encodeURIComponent(alias)}`;
  const summaryError = h('p', {id: 'subscription-error', class: 'error', hidden: true});
  const summary = h('dl', {class: 'summary', id: 'subscription-summary'});

  const desired = h('span', {id: 'scale-desired', class: 'number'}, '…');
  const bounds = h('span', {id: 'scale-bounds', class: 'muted'});
  const down = h('button', {id: 'scale-down', type: 'button', title: 'one process less', disabled: true}, '−');
  const up = h('button', {id: 'scale-up', type: 'button', title: 'one process more', disabled: true}, '+');
  const target = h('input', {id: 'scale-to', name: 'processes', type: 'number', min: 0, step: 1});
  const scaleSubmit = h('button', {id: 'scale-submit', type: 'submit'}, 'Scale');
  const scaleError = h('p', {id: 'scale-error', class: 'error', role: 'alert', hidden: true});
  const scaleForm = h('form', {id: 'scale-form', class: 'scale', novalidate: true},
    down, desired, up, bounds,
    h('label', {class: 'inline'}, 'to ', target, h('small', {class: 'field-error', 'data-for': 'processes', hidden: true})),
    scaleSubmit);
  const errors = formErrors(scaleForm, scaleError);

  const chartBox = h('div', {id: 'chart', class: 'chart'});
  // How far back the chart looks, kept for this tab: 5 minutes unless chosen otherwise.
  const WINDOW_KEY = 'stratos.console.chart-window';
  const stored = Number(sessionStorage.getItem(WINDOW_KEY));
  let minutes = WINDOW_MINUTES.includes(stored) ? stored : WINDOW_MINUTES[0];
  const windowSelect = h('select', {id: 'chart-window', 'aria-label': 'how far back the chart looks'},
    WINDOW_MINUTES.map(m => h('option', {value: String(m), selected: m === minutes}, `${m} minutes`)));
  const chartError = h('p', {id: 'chart-error', class: 'error', hidden: true});
  const processesError = h('p', {class: 'error', hidden: true});
  const processes = h('tbody', {});
  const decisionsList = h('tbody', {});
  const unsubscribeError = h('p', {class: 'error', hidden: true});

  root.append(
    h('p', {class: 'crumbs'}, h('a', {href: '#/subscriptions'}, 'Subscriptions'), ' / '),
    h('div', {class: 'title-row'},
      h('h1', {}, alias),
      confirmButton('Unsubscribe', 'Unsubscribe for good?', async () => {
        try {
          await api.delete(path);
          location.hash = '#/subscriptions';
        } catch (error) {
          showError(unsubscribeError, error);
        }
      }, {id: 'unsubscribe', class: 'danger unsubscribe', 'data-alias': alias, 'data-confirm': `unsubscribe-page:${alias}`})),
    unsubscribeError, summaryError, summary,
    h('section', {class: 'card'}, h('h2', {}, 'Scale'), scaleForm, scaleError),
    h('section', {class: 'card'},
      h('h2', {}, 'Last ', windowSelect),
      h('p', {class: 'muted legend-note'}, 'From the controller\'s history (sampled every few seconds), then sampled by this page every refresh; dashed lines are the autoscaler\'s decisions (from→to).'),
      chartError, chartBox),
    h('section', {class: 'card'}, h('h2', {}, 'Processes'), processesError,
      h('table', {id: 'processes'},
        h('thead', {}, h('tr', {}, ['Process', 'VM', 'Runtime', 'State', 'Endpoint', 'CPU', 'Memory (MiB)', 'PIDs', 'In flight', 'App metrics', 'Reason'].map(t => h('th', {}, t)))),
        processes)),
    h('section', {class: 'card'}, h('h2', {}, 'Autoscaler decisions'),
      h('table', {id: 'subscription-decisions'},
        h('thead', {}, h('tr', {}, ['Time', 'Change', 'Metrics', 'Reason'].map(t => h('th', {}, t)))),
        decisionsList)));

  const history = new History(alias, minutes * 60);
  const chart = new LiveChart(chartBox, minutes * 60);
  let current = null;
  let mine = [];
  let seeded = false;

  // The chart starts from what the controller saw, not from nothing; once, then this page samples on its own.
  // Without it (an older controller, the history away) the chart starts empty as before.
  async function seedChart() {
    try {
      const past = await api.get(`${path}/history?minutes=${minutes}`);
      history.seed(past.samples || []);
      chartBox.dataset.historyPoints = String(past.samples ? past.samples.length : 0);
      seeded = true;
    } catch (error) {
      seeded = !(error instanceof ConnectionLost); // retried on the next refresh only when the controller was away
    }
  }

  async function scaleTo(n) {
    errors.clear();
    try {
      await api.put(`${path}/scale`, {processes: n});
      target.value = '';
      await shell.refreshNow();
    } catch (error) {
      errors.show(error);
    }
  }
  windowSelect.addEventListener('change', async () => {
    minutes = Number(windowSelect.value);
    sessionStorage.setItem(WINDOW_KEY, String(minutes));
    history.window = chart.window = minutes * 60;
    await seedChart();
    chart.update(history.data(), mine);
  });
  down.addEventListener('click', () => current && scaleTo(current.desiredProcesses - 1));
  up.addEventListener('click', () => current && scaleTo(current.desiredProcesses + 1));
  scaleForm.addEventListener('submit', event => {
    event.preventDefault();
    if (target.value === '') {
      errors.show(new Error('Give the number of processes.'));
      return;
    }
    scaleTo(Number(target.value));
  });

  return {
    destroy() {
      chart.destroy();
    },
    async refresh() {
      if (!seeded) await seedChart();
      const [sub, procs, traffic, decisions] = await Promise.all([
        load(summaryError, () => api.get(path)),
        load(processesError, () => api.get(`${path}/processes`)),
        load(chartError, () => api.get(`/router/${encodeURIComponent(alias)}`)),
        load(chartError, () => api.get('/autoscaler/decisions?limit=500')),
      ]);
      const router = await load(null, () => api.get('/router'));
      if (sub.ok) {
        current = sub.value;
        renderSummary(sub.value, router.ok ? router.value : null);
      }
      if (procs.ok) renderProcesses(procs.value);
      mine = decisions.ok ? decisions.value.filter(d => d.level === 'SUBSCRIPTION' && d.target === alias) : [];
      if (decisions.ok) renderDecisions(mine);
      if (procs.ok) {
        const running = procs.value.filter(p => p.state === 'RUNNING');
        const cpu = running.length ? running.reduce((a, p) => a + (p.metrics ? p.metrics.cpuPercent : 0), 0) / running.length : 0;
        history.add({t: Date.now() / 1000, processes: running.length,
          inflight: traffic.ok ? traffic.value.requestsInFlight : null, cpu});
        chart.update(history.data(), mine);
      }
    },
  };

  function renderSummary(s, router) {
    desired.textContent = s.desiredProcesses;
    bounds.textContent = `processes wanted (${s.minProcesses}..${s.maxProcesses})`;
    down.disabled = s.desiredProcesses <= s.minProcesses;
    up.disabled = s.desiredProcesses >= s.maxProcesses;
    target.min = s.minProcesses;
    target.max = s.maxProcesses;
    renderIfChanged(summary, [s, router && router.port], () => fill(summary,
      item('Cartridge', `${s.cartridge}:${s.version}`),
      item('Endpoint', endpointLinks(s, router)),
      item('Processes', subscriptionProcesses(s, PROCESS_STATES)),
      item('Application', applicationSummary(s.artifact)),
      item('Policy', s.policy || 'none: manual scale'),
      item('Tenant', s.tenant),
      item('Created', dateTime(s.createdAt)),
      Object.keys(s.env || {}).length ? item('Environment', Object.entries(s.env).map(([k, v]) => `${k}=${v}`).join(' ')) : null));
  }

  // What serves and whether a rollout runs (details: GET .../artifact, stratos:artifact-list).
  function applicationSummary(a) {
    if (!a) return 'the cartridge image\'s own content (deploy with PUT .../artifact or stratos:deploy)';
    const serving = a.deployed === 0 ? 'image content' : `version ${a.deployed}`;
    if (a.rollout === 'ROLLING_OUT') return `${serving}, rolling out version ${a.desired}`;
    if (a.rollout === 'FAILED') return `${serving}; the last rollout failed and was rolled back`;
    return serving;
  }

  function renderProcesses(list) {
    fill(processes, list.length ? list.map(p => {
      const m = p.metrics || {};
      return h('tr', {dataset: {process: p.id, state: p.state}},
        h('td', {}, h('code', {}, p.id)),
        h('td', {}, p.vmId ? h('code', {}, p.vmId) : h('span', {class: 'muted'}, 'not placed')),
        h('td', {}, p.runtime || ''),
        h('td', {}, stateBadge(p.state)),
        h('td', {}, p.endpoint ? h('code', {}, p.endpoint) : ''),
        h('td', {class: 'num'}, percent(m.cpuPercent)),
        h('td', {class: 'num'}, m.memoryLimitBytes ? `${mib(m.memoryBytes)} / ${mib(m.memoryLimitBytes)}` : mib(m.memoryBytes)),
        h('td', {class: 'num'}, m.pids || ''),
        h('td', {class: 'num'}, m.requestsInFlight || 0),
        h('td', {dataset: {appMetrics: ''}}, applicationText(m)),
        h('td', {class: 'muted'}, p.reason || ''));
    }) : h('tr', {}, h('td', {colspan: 11, class: 'muted'}, 'No processes.')));
  }

  function renderDecisions(list) {
    renderIfChanged(decisionsList, list.slice(0, 20), () => fill(decisionsList, list.length ? list.slice(0, 20).map(d =>
      h('tr', {}, h('td', {}, time(d.time)), h('td', {class: 'num'}, `${d.from} → ${d.to}`),
        h('td', {}, metricsText(d.metrics)), h('td', {}, d.reason)))
      : h('tr', {}, h('td', {colspan: 4, class: 'muted'}, current && current.policy
        ? 'No decisions yet.' : 'None: this subscription has no autoscale policy.'))));
  }
}

function item(term, value) {
  return [h('dt', {}, term), h('dd', {}, value)];
}

/** What the agent scraped from a process (only what its policy targets), and why some of it was ignored. */
function applicationText(m) {
  const values = Object.entries(m.application || {}).sort().map(([k, v]) => `${k} ${v}`).join(', ');
  if (!m.applicationProblem) return values;
  return [values, h('span', {class: 'muted'}, (values ? '; ' : '') + m.applicationProblem)];
}

export function metricsText(metrics) {
  return Object.entries(metrics || {}).map(([k, v]) => `${k} ${Number(v).toFixed(1)}`).join(', ');
}

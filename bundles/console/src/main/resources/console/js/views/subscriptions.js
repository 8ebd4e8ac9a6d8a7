// Subscriptions: alias, cartridge, endpoint, processes per state, policy; subscribing and unsubscribing.
import {api} from '../api.js';
import {h, fill, confirmButton, renderIfChanged, subscriptionProcesses, PROCESS_STATES} from '../dom.js';
import {formErrors, load, showError} from '../errors.js';
import {dateTime} from '../format.js';

/** The router's path form of a subscription's address, which works without DNS for *.stratos.local. */
export function routerUrl(router, alias) {
  if (!router || !router.port) return null;
  const host = !router.bindAddress || router.bindAddress === '0.0.0.0' ? location.hostname : router.bindAddress;
  return `http://${host}:${router.port}/${alias}/`;
}

export function endpointLinks(sub, router) {
  const byPath = routerUrl(router, sub.alias);
  return h('span', {class: 'endpoints'},
    sub.endpoint ? h('a', {href: sub.endpoint, target: '_blank', rel: 'noopener', class: 'endpoint'}, sub.endpoint) : null,
    byPath ? h('a', {href: byPath, target: '_blank', rel: 'noopener', class: 'endpoint-path muted'}, byPath) : null);
}

export function create(root, params, shell) {
  const listError = h('p', {class: 'error', hidden: true});
  const list = h('div', {id: 'subscriptions'});
  const rowErrors = new Map();

  const field = (label, input, name) => h('label', {}, label, input, h('small', {class: 'field-error', 'data-for': name, hidden: true}));
  const alias = h('input', {id: 'subscribe-alias', name: 'alias', required: true, placeholder: 'hello', autocomplete: 'off'});
  const cartridge = h('select', {id: 'subscribe-cartridge', name: 'cartridge', required: true});
  const version = h('select', {id: 'subscribe-version', name: 'version'});
  const policy = h('select', {id: 'subscribe-policy', name: 'policy'});
  const min = h('input', {id: 'subscribe-min', name: 'minProcesses', type: 'number', min: 0, placeholder: '1'});
  const max = h('input', {id: 'subscribe-max', name: 'maxProcesses', type: 'number', min: 1, placeholder: '10'});
  const submit = h('button', {id: 'subscribe-submit', type: 'submit'}, 'Subscribe');
  const formError = h('p', {id: 'subscribe-error', class: 'error', role: 'alert', hidden: true});
  const result = h('p', {id: 'subscribe-result', class: 'success', hidden: true});
  const form = h('form', {id: 'subscribe-form', class: 'card form', novalidate: true},
    h('h2', {}, 'Subscribe'),
    h('div', {class: 'fields'},
      field('Alias', alias, 'alias'), field('Cartridge', cartridge, 'cartridge'), field('Version', version, 'version'),
      field('Autoscale policy', policy, 'policy'), field('Min processes', min, 'minProcesses'), field('Max processes', max, 'maxProcesses')),
    h('div', {class: 'actions'}, submit), formError, result);
  const errors = formErrors(form, formError);
  let cartridges = [];

  cartridge.addEventListener('change', () => fillVersions());

  function fillVersions() {
    const chosen = cartridges.find(c => c.name === cartridge.value);
    const selected = version.value;
    fill(version, h('option', {value: ''}, 'latest'),
      (chosen ? chosen.versions : []).map(v => h('option', {value: v.version}, v.version)));
    version.value = [...version.options].some(o => o.value === selected) ? selected : '';
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    errors.clear();
    result.hidden = true;
    const spec = {alias: alias.value.trim(), cartridge: cartridge.value};
    if (version.value) spec.version = version.value;
    if (policy.value) spec.policy = policy.value;
    if (min.value !== '') spec.minProcesses = Number(min.value);
    if (max.value !== '') spec.maxProcesses = Number(max.value);
    submit.disabled = true;
    try {
      const sub = await api.post('/subscriptions', spec);
      fill(result, 'Subscribed ', h('a', {href: `#/subscriptions/${sub.alias}`}, sub.alias),
        ` to ${sub.cartridge}:${sub.version} (${sub.minProcesses}..${sub.maxProcesses} processes).`);
      result.hidden = false;
      alias.value = '';
      await shell.refreshNow();
    } catch (error) {
      errors.show(error);
    } finally {
      submit.disabled = false;
    }
  });

  root.append(h('h1', {}, 'Subscriptions'), listError, list, form);

  async function unsubscribe(name) {
    try {
      await api.delete(`/subscriptions/${encodeURIComponent(name)}`);
      rowErrors.delete(name);
    } catch (error) {
      rowErrors.set(name, error);
    }
    list.dataset.rendered = '';
    await shell.refreshNow();
  }

  return {
    async refresh() {
      const [subs, carts, policies, router] = await Promise.all([
        load(listError, () => api.get('/subscriptions')),
        load(formError, () => api.get('/cartridges')),
        load(formError, () => api.get('/autoscale-policies')),
        load(null, () => api.get('/router')),
      ]);
      if (carts.ok) {
        cartridges = carts.value;
        renderIfChanged(cartridge, cartridges.map(c => [c.name, c.versions.map(v => v.version)]), () => {
          const selected = cartridge.value;
          fill(cartridge, cartridges.map(c => h('option', {value: c.name}, c.name)));
          if (selected && cartridges.some(c => c.name === selected)) cartridge.value = selected;
          fillVersions();
        });
      }
      if (policies.ok) {
        renderIfChanged(policy, policies.value.map(p => p.name), () => {
          const selected = policy.value;
          fill(policy, h('option', {value: ''}, 'none (manual scale)'), policies.value.map(p => h('option', {value: p.name}, p.name)));
          policy.value = selected;
        });
      }
      if (!subs.ok) return;
      const routerStats = router.ok ? router.value : null;
      const traffic = new Map(((routerStats && routerStats.aliases) || []).map(a => [a.alias, a]));
      renderIfChanged(list, [subs.value, [...rowErrors.keys()], routerStats && [routerStats.port, routerStats.bindAddress]], () => fill(list,
        subs.value.length ? h('table', {class: 'card'},
          h('thead', {}, h('tr', {}, ['Alias', 'Cartridge', 'Endpoint', 'Processes', 'Scale', 'Policy', 'Created', ''].map(t => h('th', {}, t)))),
          h('tbody', {}, subs.value.map(s => {
            const rowError = h('div', {class: 'error', hidden: true});
            showError(rowError, rowErrors.get(s.alias));
            return h('tr', {dataset: {alias: s.alias}},
              h('td', {}, h('a', {href: `#/subscriptions/${s.alias}`, class: 'alias'}, s.alias)),
              h('td', {}, `${s.cartridge}:${s.version}`),
              h('td', {}, endpointLinks(s, routerStats)),
              h('td', {}, subscriptionProcesses(s, PROCESS_STATES)),
              h('td', {class: 'num'}, `${s.desiredProcesses} (${s.minProcesses}..${s.maxProcesses})`),
              h('td', {}, s.policy || h('span', {class: 'muted'}, 'manual')),
              h('td', {}, dateTime(s.createdAt)),
              h('td', {class: 'row-actions'},
                confirmButton('Unsubscribe', 'Unsubscribe for good?', () => unsubscribe(s.alias), {class: 'danger small unsubscribe', 'data-alias': s.alias, 'data-confirm': `unsubscribe:${s.alias}`}),
                rowError));
          })))
          : h('p', {class: 'muted'}, 'No subscriptions yet: subscribe below.')));
      // keep traffic for the link titles current without re-rendering the table
      for (const row of list.querySelectorAll('tr[data-alias]')) {
        const t = traffic.get(row.dataset.alias);
        row.title = t ? `${t.requests} requests, ${t.requestsInFlight} in flight, ${t.errors} errors` : '';
      }
    },
  };
}

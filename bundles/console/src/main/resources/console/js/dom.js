// Building elements from data without innerHTML, so nothing the API returns is ever parsed as HTML.

/** h('a', {href: '#/x', class: 'link', onclick: fn}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked' || key === 'disabled') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A coloured badge for a process or VM state. */
export function stateBadge(state) {
  return h('span', {class: `badge state-${String(state).toLowerCase()}`}, state);
}

/** Badges "RUNNING 3 · PENDING 1" for a map of state to count, in life-cycle order. */
export function stateCounts(counts, order) {
  const entries = order.filter(s => counts[s]).map(s => [s, counts[s]]);
  if (!entries.length) return h('span', {class: 'muted'}, 'none');
  return h('span', {class: 'counts'}, entries.map(([state, n]) =>
    h('span', {class: `badge state-${state.toLowerCase()}`, dataset: {state}}, `${state} ${n}`)));
}

/**
 * The processes of a subscription by state; one at zero processes wanted is idle (scaled to zero, or stopped by hand),
 * which is not a failure: its next request starts a process when its policy scales to zero.
 */
export function subscriptionProcesses(s, order) {
  const counts = s.processes || {};
  if (s.desiredProcesses === 0 && !order.some(state => counts[state])) {
    return h('span', {class: 'badge state-idle', dataset: {state: 'IDLE'},
      title: 'No process wanted: scaled to zero. A request starts one if its policy scales to zero.'}, 'idle');
  }
  return stateCounts(counts, order);
}

/** A horizontal bar: used of total, with the free part named. */
export function bar(used, total, unit, title) {
  const share = total > 0 ? Math.min(1, used / total) : 0;
  const fillEl = h('span', {class: `fill ${share > 0.9 ? 'high' : share > 0.7 ? 'mid' : ''}`});
  fillEl.style.width = `${(share * 100).toFixed(1)}%`;
  return h('div', {class: 'bar', title: title || null, role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': used},
    fillEl,
    h('span', {class: 'bar-label'}, `${used} / ${total} ${unit} used · ${Math.max(0, total - used)} free`));
}

export const PROCESS_STATES = ['PENDING', 'FETCHING', 'STARTING', 'RUNNING', 'STOPPING', 'STOPPED', 'FAILED'];
export const VM_STATES = ['REQUESTED', 'BOOTING', 'READY', 'DEGRADED', 'LOST', 'DRAINING', 'TERMINATING'];

/** Buttons waiting for their confirming click, by key: a table re-rendered in between keeps them waiting. */
const armed = new Map();

/**
 * A button that acts on the second click within a few seconds: the first only asks "sure?". Keeps
 * destructive actions one deliberate step away without a modal dialog.
 */
export function confirmButton(label, confirmLabel, action, attrs = {}) {
  const key = attrs['data-confirm'] || `${label}:${Math.random()}`;
  const button = h('button', {type: 'button', class: 'danger', ...attrs, 'data-confirm': key}, label);
  const look = on => {
    for (const b of document.querySelectorAll(`button[data-confirm="${CSS.escape(key)}"]`)) {
      b.textContent = on ? confirmLabel : label;
      b.classList.toggle('armed', on);
    }
    button.textContent = on ? confirmLabel : label;
    button.classList.toggle('armed', on);
  };
  if (armed.has(key)) look(true);
  button.addEventListener('click', async () => {
    if (!armed.has(key)) {
      armed.set(key, setTimeout(() => {
        armed.delete(key);
        look(false);
      }, 5000));
      look(true);
      return;
    }
    clearTimeout(armed.get(key));
    armed.delete(key);
    button.disabled = true;
    try {
      await action();
    } finally {
      button.disabled = false;
      look(false);
    }
  });
  return button;
}

/** Renders only when the data changed, so buttons half-way through a confirmation and errors stay put. */
export function renderIfChanged(el, data, render) {
  const key = JSON.stringify(data);
  if (el.dataset.rendered === key) return;
  el.dataset.rendered = key;
  render();
}

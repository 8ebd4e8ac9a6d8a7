// The console's shell: sign-in, the page for the address's #fragment, and the polling that keeps it live.
import {api, session, onUnauthorized, ApiError, ConnectionLost} from './api.js';
import {h, fill} from './dom.js';
import {describe} from './errors.js';
import {duration} from './format.js';
import * as overview from './views/overview.js';
import * as cartridges from './views/cartridges.js';
import * as subscriptions from './views/subscriptions.js';
import * as subscription from './views/subscription.js';
import * as autoscaler from './views/autoscaler.js';
import * as vms from './views/vms.js';

/** How often the page asks the API again. */
const POLL_MILLIS = 2000;

const ROUTES = [
  {pattern: /^#\/overview$/, page: 'overview', view: overview},
  {pattern: /^#\/cartridges$/, page: 'cartridges', view: cartridges},
  {pattern: /^#\/subscriptions$/, page: 'subscriptions', view: subscriptions},
  {pattern: /^#\/subscriptions\/([a-z0-9-]+)$/, page: 'subscriptions', view: subscription},
  {pattern: /^#\/autoscaler$/, page: 'autoscaler', view: autoscaler},
  {pattern: /^#\/vms$/, page: 'vms', view: vms},
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const loginSection = document.getElementById('login');
const loginForm = document.getElementById('login-form');
const loginError = document.getElementById('login-error');
const banner = document.getElementById('connection');
const controllerStatus = document.getElementById('controller-status');

let current = null;      // {hash, page}
let timer = null;
let generation = 0;      // a tick started for an older page drops its result
let lostSince = null;

// ---- sign-in -------------------------------------------------------------------------------------

function showLogin(message) {
  stopPolling();
  current = null;
  fill(main);
  nav.hidden = true;
  who.hidden = true;
  loginSection.hidden = false;
  loginForm.elements.password.value = '';
  if (message) {
    loginError.textContent = message;
    loginError.hidden = false;
  } else {
    loginError.hidden = true;
  }
  (loginForm.elements.user.value ? loginForm.elements.password : loginForm.elements.user).focus();
}

onUnauthorized(error => {
  session.signOut();
  showLogin(describe(error));
});

loginForm.addEventListener('submit', async event => {
  event.preventDefault();
  const user = loginForm.elements.user.value.trim();
  const password = loginForm.elements.password.value;
  session.signIn(user, password);
  const button = document.getElementById('login-submit');
  button.disabled = true;
  try {
    // a call every user may make: subscriptions are listed for admins and tenants alike
    await api.get('/subscriptions');
    loginForm.elements.password.value = '';
    loginError.hidden = true;
    loginSection.hidden = true;
    route();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) {
      session.signOut();
      loginError.textContent = error instanceof ConnectionLost
        ? `Cannot reach the controller: ${error.message}` : describe(error);
      loginError.hidden = false;
    }
  } finally {
    button.disabled = false;
  }
});

document.getElementById('logout').addEventListener('click', () => {
  session.signOut();
  showLogin('Signed out.');
});

// ---- pages ---------------------------------------------------------------------------------------

function route() {
  if (!session.signedIn()) {
    showLogin();
    return;
  }
  const hash = location.hash || '#/overview';
  const match = ROUTES.map(r => ({route: r, found: hash.match(r.pattern)})).find(m => m.found);
  if (!match) {
    location.hash = '#/overview';
    return;
  }
  if (current && current.hash === hash) return;
  stopPolling();
  if (current && current.page.destroy) current.page.destroy();
  loginSection.hidden = true;
  nav.hidden = false;
  who.hidden = false;
  document.getElementById('user').textContent = session.user();
  for (const link of nav.querySelectorAll('a')) {
    link.classList.toggle('active', link.dataset.page === match.route.page);
  }
  fill(main);
  const page = match.route.view.create(main, match.found.slice(1).map(decodeURIComponent), {refreshNow: tick});
  current = {hash, page};
  tick();
}

function stopPolling() {
  clearTimeout(timer);
  timer = null;
  generation++;
}

/** Refreshes the page now, then every POLL_MILLIS. */
async function tick() {
  clearTimeout(timer);
  const mine = ++generation;
  const page = current && current.page;
  if (!page) return;
  try {
    await Promise.all([page.refresh(), refreshStatus()]);
    if (mine === generation) connected();
  } catch (error) {
    if (mine !== generation) return;
    if (error instanceof ConnectionLost) disconnected(error);
    else if (error instanceof ApiError && error.status === 401) return;  // back at the sign-in form
    else {
      connected();
      console.error(error);
    }
  }
  if (mine === generation && current) timer = setTimeout(tick, POLL_MILLIS);
}

async function refreshStatus() {
  try {
    const status = await api.get('/status');
    fill(controllerStatus, h('span', {class: `dot ${status.state === 'ACTIVE' ? 'ok' : 'warn'}`}),
      `${status.state} · v${status.version} · up ${duration(status.uptimeSeconds || 0)}`
      // with controllers sharing one database: which one this is (a standby serves reads only)
      + (status.role === 'standby' ? ` · standby (writes go to ${status.leaseHolder || 'the active controller'})` : ''));
    controllerStatus.title = (status.components || [])
      .map(c => `${c.name}: ${c.state}${c.detail ? ` (${c.detail})` : ''}`).join('\n');
  } catch (error) {
    if (error instanceof ApiError && error.status !== 401) {
      fill(controllerStatus, h('span', {class: 'dot warn'}), describe(error));
      return;
    }
    throw error;
  }
}

// ---- the connection ------------------------------------------------------------------------------

function disconnected(error) {
  if (lostSince === null) lostSince = new Date();
  banner.className = 'banner lost';
  fill(banner, h('strong', {}, 'Connection to the controller lost'),
    ` since ${lostSince.toLocaleTimeString([], {hour12: false})}: ${error.message}. Retrying every ${POLL_MILLIS / 1000} s; `
    + 'the page shows the last data it had.');
  banner.hidden = false;
  document.body.classList.add('offline');
}

function connected() {
  document.body.classList.remove('offline');
  if (lostSince === null) return;
  lostSince = null;
  banner.className = 'banner back';
  fill(banner, h('strong', {}, 'Connection restored.'), ' The page is live again.');
  setTimeout(() => {
    if (lostSince === null) banner.hidden = true;
  }, 4000);
}

window.addEventListener('hashchange', route);
route();


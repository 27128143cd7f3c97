// The console's shell: the token (typed in, or taken once from ?token= and removed from the address
// bar), kept in sessionStorage only; every call to the admin API with it; the views by the URL's hash.
import {status} from './dom.js';
import * as overview from './overview.js';
import * as sessions from './sessions.js';
import * as session from './session.js';
import * as events from './events.js';

const TOKEN = 'berth.admin-token';
let cleanup = () => {};

/** Calls the admin API; answers the parsed JSON, throws an Error with the broker's message. */
export async function api(path, {method = 'GET', body} = {}) {
  const headers = {Authorization: `Bearer ${sessionStorage.getItem(TOKEN) ?? ''}`};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit',
    redirect: 'error',
  });
  const data = await r.json().catch(() => null);
  if (r.status === 401) {
    logout('The admin token was refused; log in again.');
    throw new Error('not logged in');
  }
  if (!r.ok) throw new Error(data?.message ?? `HTTP ${r.status}`);
  return data;
}

/** Percent-encodes a client id for a path segment. */
export function segment(id) {
  return encodeURIComponent(id);
}

function logout(message) {
  sessionStorage.removeItem(TOKEN);
  cleanup();
  cleanup = () => {};
  document.getElementById('view').replaceChildren();
  document.getElementById('nav').hidden = true;
  document.getElementById('logout').hidden = true;
  const form = document.getElementById('login');
  form.hidden = false;
  document.getElementById('login-error').textContent = message ?? '';
  document.getElementById('token').focus();
}

async function login(event) {
  event.preventDefault();
  const input = document.getElementById('token');
  sessionStorage.setItem(TOKEN, input.value.trim());
  try {
    await api('/overview');
  } catch (e) {
    if (sessionStorage.getItem(TOKEN)) document.getElementById('login-error').textContent = e.message;
    return;
  }
  input.value = '';
  document.getElementById('login').hidden = true;
  route();
}

function route() {
  if (!sessionStorage.getItem(TOKEN)) {
    logout();
    return;
  }
  document.getElementById('nav').hidden = false;
  document.getElementById('logout').hidden = false;
  cleanup();
  status('');
  const hash = location.hash || '#/overview';
  const [, name, rest] = hash.match(/^#\/([a-z]+)\/?(.*)$/) ?? [null, 'overview', ''];
  for (const a of document.querySelectorAll('#nav a')) {
    const current = a.dataset.view === name || (name === 'session' && a.dataset.view === 'sessions');
    if (current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const view = document.getElementById('view');
  const views = {overview, sessions, session, events};
  const v = views[name] ?? overview;
  cleanup = v.render(view, decodeURIComponent(rest)) ?? (() => {});
}

function start() {
  // a ready link (?token=...) is used once: kept for this tab only, then removed from the address bar
  const params = new URLSearchParams(location.search);
  if (params.has('token')) {
    sessionStorage.setItem(TOKEN, params.get('token'));
    history.replaceState(null, '', location.pathname + location.hash);
  }
  document.getElementById('login').addEventListener('submit', login);
  document.getElementById('logout').addEventListener('click', () => logout('Logged out.'));
  window.addEventListener('hashchange', route);
  route();
}

start();

// Sessions: a page of the table at a time, filtered, sorted and paged by the broker (never all of them).
import {api} from './app.js';
import {h, replace} from './dom.js';
import * as fmt from './format.js';

// kept while the page is open, so coming back from a session finds the same list
const state = {prefix: '', state: 'all', minBacklog: '', sort: 'backlog', order: 'desc', offset: 0, limit: 50};

const COLUMNS = [
  {key: 'client-id', label: 'Client id', order: 'asc'},
  {key: null, label: 'State'},
  {key: null, label: 'Protocol'},
  {key: 'backlog', label: 'Queued', order: 'desc', num: true},
  {key: 'bytes', label: 'Queued bytes', order: 'desc', num: true},
  {key: null, label: 'In flight', num: true},
  {key: 'last-seen', label: 'Last seen', order: 'asc'},
  {key: 'expiry', label: 'Expires', order: 'asc'},
];

export function render(view) {
  const prefix = h('input', {id: 'f-prefix', name: 'prefix', type: 'search', value: state.prefix, autocomplete: 'off'});
  const online = h('select', {id: 'f-state', name: 'state'},
    ['all', 'online', 'offline'].map((s) => h('option', {value: s, selected: s === state.state}, s)));
  const backlog = h('input', {id: 'f-backlog', name: 'min-backlog', type: 'number', min: 0, value: state.minBacklog});
  const size = h('select', {id: 'f-size', name: 'limit'},
    [10, 50, 200].map((n) => h('option', {value: n, selected: n === state.limit}, `${n} per page`)));
  const form = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter sessions'},
    h('label', {for: 'f-prefix'}, 'Client id starts with'), prefix,
    h('label', {for: 'f-state'}, 'State'), online,
    h('label', {for: 'f-backlog'}, 'Queued at least'), backlog,
    h('label', {for: 'f-size'}, 'Page size'), size,
    h('button', {type: 'submit'}, 'Apply'));
  const summary = h('p', {id: 'sessions-summary', 'aria-live': 'polite'});
  const head = h('tr', {});
  const body = h('tbody', {});
  const table = h('table', {class: 'data', id: 'sessions'}, h('thead', {}, head), body);
  const prev = h('button', {type: 'button', id: 'page-prev'}, '← Previous');
  const next = h('button', {type: 'button', id: 'page-next'}, 'Next →');
  replace(view, h('h1', {}, 'Sessions'), form, summary, h('div', {class: 'scroll'}, table),
    h('div', {class: 'pager'}, prev, next));
  let typing;

  function apply() {
    state.prefix = prefix.value;
    state.state = online.value;
    state.minBacklog = backlog.value;
    state.limit = Number(size.value);
    state.offset = 0;
    load();
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  prefix.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(apply, 300);
  });
  online.addEventListener('change', apply);
  size.addEventListener('change', apply);
  prev.addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - state.limit);
    load();
  });
  next.addEventListener('click', () => {
    state.offset += state.limit;
    load();
  });

  function header() {
    replace(head, COLUMNS.map((c) => {
      if (!c.key) return h('th', {scope: 'col', class: c.num ? 'num' : ''}, c.label);
      const active = state.sort === c.key;
      const sortAttr = active ? (state.order === 'asc' ? 'ascending' : 'descending') : undefined;
      const button = h('button', {type: 'button', class: 'sort', 'data-sort': c.key},
        c.label, active ? (state.order === 'asc' ? ' ▲' : ' ▼') : '');
      button.addEventListener('click', () => {
        state.order = active ? (state.order === 'asc' ? 'desc' : 'asc') : c.order;
        state.sort = c.key;
        state.offset = 0;
        load();
      });
      return h('th', {scope: 'col', class: c.num ? 'num' : '', 'aria-sort': sortAttr}, button);
    }));
  }

  async function load() {
    header();
    const q = new URLSearchParams({sort: state.sort, order: state.order, limit: state.limit, offset: state.offset});
    if (state.prefix) q.set('prefix', state.prefix);
    if (state.state !== 'all') q.set('state', state.state);
    if (state.minBacklog !== '' && Number(state.minBacklog) > 0) q.set('min-backlog', state.minBacklog);
    let r;
    try {
      r = await api(`/sessions?${q}`);
    } catch (e) {
      replace(summary, h('span', {class: 'error'}, e.message));
      return;
    }
    replace(body, r.sessions.map((s) => h('tr', {},
      h('td', {}, h('a', {href: `#/session/${encodeURIComponent(s.clientId)}`}, s.clientId === '' ? '(empty id)' : s.clientId)),
      h('td', {}, h('span', {class: s.online ? 'badge on' : 'badge off'}, s.online ? 'online' : 'offline')),
      h('td', {}, s.protocol),
      h('td', {class: 'num'}, fmt.count(s.queuedMessages)),
      h('td', {class: 'num'}, fmt.bytes(s.queuedBytes)),
      h('td', {class: 'num'}, fmt.count(s.inflight)),
      h('td', {}, s.online ? 'now' : fmt.time(s.lastSeen)),
      h('td', {}, s.expiresAt ? fmt.time(s.expiresAt) : 'never'))));
    const first = r.sessions.length === 0 ? 0 : r.offset + 1;
    summary.textContent = `${fmt.count(first)}–${fmt.count(r.offset + r.sessions.length)} of `
      + `${fmt.count(r.matching)} matching, ${fmt.count(r.total, 'session')} in all`;
    prev.disabled = r.offset === 0;
    next.disabled = r.offset + r.sessions.length >= r.matching;
  }

  load();
  return () => clearTimeout(typing);
}

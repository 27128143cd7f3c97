// Events: queue watermark crossings and drops as they happen (polled every 2 s, newest first).
import {api} from './app.js';
import {h, replace} from './dom.js';
import * as fmt from './format.js';

export function render(view) {
  const body = h('tbody', {});
  const empty = h('p', {id: 'no-events'}, 'No event yet. Watermark crossings and dropped messages show here as they happen.');
  const table = h('table', {class: 'data', id: 'events'},
    h('thead', {}, h('tr', {},
      h('th', {scope: 'col'}, 'Time'), h('th', {scope: 'col'}, 'Event'), h('th', {scope: 'col'}, 'Session'),
      h('th', {scope: 'col'}, 'Details'))),
    body);
  replace(view, h('h1', {}, 'Events'), empty, table);
  let after = 0;
  let stopped = false;
  let timer;

  function row(e) {
    if (e.event === 'queue-watermark') {
      const high = e.state === 'high';
      return h('tr', {class: high ? 'warn' : ''},
        h('td', {}, fmt.clock(e.at)),
        h('td', {}, high ? 'queue above watermark' : 'queue drained'),
        h('td', {}, h('a', {href: `#/session/${encodeURIComponent(e.clientId)}`}, e.clientId)),
        h('td', {}, `${fmt.count(e.messages, 'message')}, ${fmt.bytes(e.bytes)} (limits ${fmt.count(e.maxMessages)} / ${fmt.bytes(e.maxBytes)})`));
    }
    return h('tr', {class: 'drop'},
      h('td', {}, fmt.clock(e.at)),
      h('td', {}, `dropped: ${e.reason}`),
      h('td', {}, '–'),
      h('td', {}, fmt.count(e.messages, 'message')));
  }

  async function poll() {
    try {
      const r = await api(`/events?after=${after}`);
      if (stopped) return;
      for (const e of r.events) {
        body.prepend(row(e));
        after = Math.max(after, e.seq);
      }
      empty.hidden = body.children.length > 0;
      table.hidden = body.children.length === 0;
    } catch (e) {
      if (!stopped) replace(empty, h('span', {class: 'error'}, e.message));
    }
    if (!stopped) timer = setTimeout(poll, 2000);
  }

  table.hidden = true;
  poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

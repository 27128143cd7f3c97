// Overview: the broker's numbers now, and charts over the last minutes, refreshed every 2 s.
import {api} from './app.js';
import {h, replace} from './dom.js';
import {lineChart} from './chart.js';
import * as fmt from './format.js';

export function render(view) {
  const cards = h('div', {class: 'cards'});
  const charts = h('div', {class: 'charts'});
  const drops = h('div', {class: 'drops'});
  replace(view, h('h1', {}, 'Overview'), cards, h('h2', {}, 'Last minutes'), charts, h('h2', {}, 'Dropped messages'), drops);
  let stopped = false;
  let timer;

  async function refresh() {
    try {
      const o = await api('/overview');
      if (stopped) return;
      draw(o);
    } catch (e) {
      if (!stopped) replace(cards, h('p', {class: 'error'}, e.message));
    }
    if (!stopped) timer = setTimeout(refresh, 2000);
  }

  function card(label, value, id) {
    return h('div', {class: 'card', id}, h('div', {class: 'label'}, label), h('div', {class: 'value'}, value));
  }

  function draw(o) {
    const now = o.now;
    replace(cards,
      card('Connections', fmt.count(now.connections), 'card-connections'),
      card('Sessions online', fmt.count(now.sessionsOnline), 'card-online'),
      card('Sessions offline', fmt.count(now.sessionsOffline), 'card-offline'),
      card('Queued messages', fmt.count(now.queuedMessages), 'card-queued'),
      card('Queued bytes', fmt.bytes(now.queuedBytes), 'card-bytes'),
      card('Messages in', fmt.rate(now.inPerSecond), 'card-in'),
      card('Messages out', fmt.rate(now.outPerSecond), 'card-out'),
      card('Commit latency', fmt.millis(now.commitMillis ?? now.commitMillisMean), 'card-commit'));
    const points = o.history.length > 0 ? o.history : [now];
    replace(charts,
      lineChart('Messages per second', points, [
        {key: 'inPerSecond', name: 'in', cls: 's1'},
        {key: 'outPerSecond', name: 'out', cls: 's2'},
        {key: 'dropsPerSecond', name: 'dropped', cls: 's3'},
      ], fmt.rate),
      lineChart('Queued messages', points, [{key: 'queuedMessages', name: 'queued', cls: 's1'}], (v) => fmt.count(v)),
      lineChart('Queued bytes', points, [{key: 'queuedBytes', name: 'queued', cls: 's2'}], fmt.bytes),
      lineChart('Connections and sessions', points, [
        {key: 'connections', name: 'connections', cls: 's1'},
        {key: 'sessionsOnline', name: 'online', cls: 's2'},
        {key: 'sessionsOffline', name: 'offline', cls: 's4'},
      ], (v) => fmt.count(v)),
      lineChart('Commit latency (mean per interval)', points, [{key: 'commitMillis', name: 'commit', cls: 's3'}], fmt.millis));
    const reasons = Object.entries(now.dropsByReason);
    replace(drops, reasons.length === 0
      ? h('p', {}, 'No message was dropped since the broker started.')
      : h('table', {class: 'data', id: 'drops'},
        h('caption', {}, 'Since the broker started'),
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Reason'), h('th', {scope: 'col', class: 'num'}, 'Messages'))),
        h('tbody', {}, reasons.map(([reason, n]) =>
          h('tr', {}, h('td', {}, reason), h('td', {class: 'num'}, fmt.count(n)))))));
  }

  refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

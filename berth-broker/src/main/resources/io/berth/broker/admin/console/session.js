// One session: its state, subscriptions and queue; peek, purge (after a confirmation that says how many
// messages will go), kick, delete.
import {api, segment} from './app.js';
import {h, replace, status} from './dom.js';
import * as fmt from './format.js';

function payloadBytes(m) {
  if (m.encoding === 'base64') return Uint8Array.from(atob(m.payload), (c) => c.charCodeAt(0));
  return new TextEncoder().encode(m.payload);
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Asks in a modal dialog; resolves true when confirmed. */
function confirmDialog(title, text, action) {
  return new Promise((resolve) => {
    const ok = h('button', {type: 'submit', value: 'ok', class: 'danger', id: 'confirm-ok'}, action);
    const cancel = h('button', {type: 'submit', value: 'cancel', id: 'confirm-cancel'}, 'Cancel');
    const dialog = h('dialog', {id: 'confirm', 'aria-labelledby': 'confirm-title'},
      h('form', {method: 'dialog'}, h('h2', {id: 'confirm-title'}, title), h('p', {id: 'confirm-text'}, text),
        h('div', {class: 'actions'}, cancel, ok)));
    document.body.append(dialog);
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'ok');
    });
    dialog.showModal();
    cancel.focus();
  });
}

export function render(view, clientId) {
  const path = `/sessions/${segment(clientId)}`;
  let encoding = 'text';
  let lastPeek = [];

  async function load() {
    let s;
    try {
      s = await api(path);
    } catch (e) {
      replace(view, h('h1', {}, clientId), h('p', {class: 'error'}, e.message), h('a', {href: '#/sessions'}, 'Back to sessions'));
      return;
    }
    draw(s);
  }

  function draw(s) {
    const l = s.limits;
    const facts = [
      ['State', h('span', {class: s.online ? 'badge on' : 'badge off', id: 'session-state'}, s.online ? 'online' : 'offline')],
      ['Owner', s.owner === '' ? '(anonymous)' : s.owner],
      ['Protocol', s.protocol],
      ['Last seen', s.online ? 'now' : fmt.time(s.lastSeen)],
      ['Expiry interval', fmt.seconds(s.expiryIntervalSeconds)],
      ['Expires', s.expiresAt ? fmt.time(s.expiresAt) : 'never'],
      ['Queued', h('span', {id: 'session-queued'}, `${fmt.count(s.queuedMessages, 'message')}, ${fmt.bytes(s.queuedBytes)}`)],
      ['In flight', fmt.count(s.inflight, 'message')],
      ['Inbound QoS 2 awaiting PUBREL', s.inboundQos2.length === 0 ? 'none' : s.inboundQos2.join(', ')],
      ['Limits', `${fmt.count(l.maxQueuedMessages, 'message')}, ${fmt.bytes(l.maxQueuedBytes)}, max age ${fmt.seconds(l.maxMessageAgeSeconds || 4294967295)}, overflow ${l.overflow}, watermark ${l.watermarkPercent} %`],
      ['Will', s.will ? s.will.topic : 'none'],
    ];
    const kick = h('button', {type: 'button', id: 'kick', disabled: !s.online}, 'Kick (disconnect)');
    const del = h('button', {type: 'button', id: 'delete', class: 'danger'}, 'Delete session');
    kick.addEventListener('click', () => doKick());
    del.addEventListener('click', () => doDelete());
    replace(view,
      h('p', {}, h('a', {href: '#/sessions'}, '← Sessions')),
      h('h1', {}, 'Session ', h('code', {id: 'session-id'}, s.clientId)),
      h('dl', {class: 'facts'}, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      h('div', {class: 'actions'}, kick, del),
      h('h2', {}, `Subscriptions (${s.subscriptions.length})`),
      subscriptions(s.subscriptions),
      h('h2', {}, 'Queue'),
      peekForm(),
      h('div', {id: 'peek-result'}),
      h('h2', {}, 'Purge'),
      purgeForm());
  }

  function subscriptions(subs) {
    if (subs.length === 0) return h('p', {}, 'No subscriptions.');
    return h('table', {class: 'data', id: 'subscriptions'},
      h('thead', {}, h('tr', {}, ['Filter', 'QoS', 'No local', 'Retain as published', 'Retain handling', 'Subscription id']
        .map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, subs.map((x) => h('tr', {},
        h('td', {}, h('code', {}, x.filter)), h('td', {}, x.qos), h('td', {}, x.noLocal ? 'yes' : 'no'),
        h('td', {}, x.retainAsPublished ? 'yes' : 'no'), h('td', {}, x.retainHandling),
        h('td', {}, x.subscriptionId || '–')))));
  }

  function peekForm() {
    const limit = h('input', {id: 'peek-limit', type: 'number', min: 1, max: 1000, value: 10});
    const text = h('input', {type: 'radio', name: 'encoding', id: 'enc-text', value: 'text', checked: encoding === 'text'});
    const hexRadio = h('input', {type: 'radio', name: 'encoding', id: 'enc-hex', value: 'hex', checked: encoding === 'hex'});
    for (const r of [text, hexRadio]) {
      r.addEventListener('change', () => {
        encoding = r.value;
        drawPeek();
      });
    }
    const form = h('form', {class: 'inline', id: 'peek-form'},
      h('label', {for: 'peek-limit'}, 'First'), limit, h('span', {}, 'messages'),
      h('button', {type: 'submit', id: 'peek'}, 'Peek'),
      h('fieldset', {class: 'inline'}, h('legend', {}, 'Payload as'),
        text, h('label', {for: 'enc-text'}, 'text'), hexRadio, h('label', {for: 'enc-hex'}, 'hex')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        lastPeek = (await api(`${path}/queue?limit=${encodeURIComponent(limit.value)}`)).messages;
        drawPeek();
      } catch (err) {
        status(err.message, true);
      }
    });
    return form;
  }

  function drawPeek() {
    const out = document.getElementById('peek-result');
    if (!out) return;
    if (lastPeek.length === 0) {
      replace(out, h('p', {}, 'The queue is empty.'));
      return;
    }
    replace(out, h('div', {class: 'scroll'}, h('table', {class: 'data', id: 'peek-table'},
      h('thead', {}, h('tr', {}, ['Seq', 'Topic', 'QoS', 'Arrived', 'Size', 'Payload'].map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, lastPeek.map((m) => {
        const bytes = payloadBytes(m);
        const shown = encoding === 'hex' ? hex(bytes)
          : m.encoding === 'base64' ? new TextDecoder().decode(bytes) : m.payload;
        return h('tr', {},
          h('td', {class: 'num'}, m.seq), h('td', {}, h('code', {}, m.topic)), h('td', {}, m.qos),
          h('td', {}, fmt.time(m.arrived)), h('td', {class: 'num'}, fmt.bytes(m.size)),
          h('td', {}, h('code', {class: 'payload'}, shown.length > 300 ? `${shown.slice(0, 300)}…` : shown)));
      })))));
  }

  function purgeForm() {
    const all = h('input', {type: 'radio', name: 'what', id: 'purge-all', value: 'all'});
    const some = h('input', {type: 'radio', name: 'what', id: 'purge-some', value: 'some', checked: true});
    const topic = h('input', {id: 'purge-topic', type: 'text', placeholder: 'e.g. sensors/+/raw', autocomplete: 'off'});
    const older = h('input', {id: 'purge-older', type: 'text', placeholder: 'PT10M, P7D or 2026-01-31T12:00:00Z', autocomplete: 'off'});
    const oldest = h('input', {id: 'purge-oldest', type: 'number', min: 1});
    const form = h('form', {id: 'purge-form', class: 'stack'},
      h('fieldset', {}, h('legend', {}, 'Remove'),
        h('div', {}, all, h('label', {for: 'purge-all'}, 'every queued message (not in flight)')),
        h('div', {}, some, h('label', {for: 'purge-some'}, 'the messages that match all of:')),
        h('div', {class: 'grid'},
          h('label', {for: 'purge-topic'}, 'Topic filter'), topic,
          h('label', {for: 'purge-older'}, 'Older than'), older,
          h('label', {for: 'purge-oldest'}, 'At most, oldest first'), oldest)),
      h('button', {type: 'submit', id: 'purge', class: 'danger'}, 'Purge…'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      let body;
      if (all.checked) {
        body = {all: true};
      } else {
        body = {};
        if (topic.value.trim()) body.topic = topic.value.trim();
        if (older.value.trim()) body.olderThan = older.value.trim();
        if (oldest.value) body.oldest = Number(oldest.value);
      }
      try {
        const n = (await api(`${path}/purge?dry-run=true`, {method: 'POST', body})).wouldRemove;
        if (n === 0) {
          status('No queued message matches; nothing to purge.');
          return;
        }
        const yes = await confirmDialog('Purge messages?',
          `${fmt.count(n, 'queued message')} of '${clientId}' will be removed for good.`, `Remove ${fmt.count(n)}`);
        if (!yes) return;
        const removed = (await api(`${path}/purge`, {method: 'POST', body})).removed;
        status(`Removed ${fmt.count(removed, 'message')} from the queue of '${clientId}'.`);
        await load();
      } catch (err) {
        status(err.message, true);
      }
    });
    return form;
  }

  async function doKick() {
    if (!(await confirmDialog('Kick the client?', `The connection of '${clientId}' will be closed; its session stays.`, 'Kick'))) return;
    try {
      await api(`${path}/disconnect`, {method: 'POST'});
      status(`Disconnected '${clientId}'.`);
      await load();
    } catch (err) {
      status(err.message, true);
    }
  }

  async function doDelete() {
    if (!(await confirmDialog('Delete the session?', `The session of '${clientId}' ends as if it expired: its queue and subscriptions go.`, 'Delete'))) return;
    try {
      await api(path, {method: 'DELETE'});
      status(`Deleted the session of '${clientId}'.`);
      location.hash = '#/sessions';
    } catch (err) {
      status(err.message, true);
    }
  }

  load();
  return () => document.getElementById('confirm')?.remove();
}

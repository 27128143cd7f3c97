// A line chart drawn as SVG by hand: one polyline per series over the last samples.
import {h} from './dom.js';

const W = 480;
const H = 160;
const PAD = {left: 56, right: 8, top: 8, bottom: 22};

/** The smallest "round" number (1, 2, 5 x 10^n) at or above v. */
function nice(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) {
    if (m * p >= v) return m * p;
  }
  return 10 * p;
}

/**
 * A chart figure.
 * @param title what is charted
 * @param points the samples ({at, ...})
 * @param series [{key, name, cls}] which fields to draw
 * @param format formats a value with its unit
 */
export function lineChart(title, points, series, format) {
  const values = points.flatMap((p) => series.map((s) => p[s.key])).filter((v) => typeof v === 'number');
  const max = nice(Math.max(0, ...values));
  const n = points.length;
  const x = (i) => PAD.left + (n <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (n - 1));
  const y = (v) => PAD.top + (1 - v / max) * (H - PAD.top - PAD.bottom);
  const grid = [0, 0.5, 1].map((f) =>
    h('g', {class: 'tick'},
      h('line', {x1: PAD.left, x2: W - PAD.right, y1: y(max * f), y2: y(max * f)}),
      h('text', {x: PAD.left - 4, y: y(max * f) + 4, 'text-anchor': 'end'}, format(max * f))));
  const lines = series.map((s) => {
    const pts = [];
    points.forEach((p, i) => {
      if (typeof p[s.key] === 'number') pts.push(`${x(i).toFixed(1)},${y(p[s.key]).toFixed(1)}`);
    });
    return h('polyline', {class: `line ${s.cls}`, points: pts.join(' '), 'data-series': s.key});
  });
  const span = n > 1 ? Math.round((Date.parse(points[n - 1].at) - Date.parse(points[0].at)) / 1000) : 0;
  const ago = span < 120 ? `${span} s ago` : `${Math.round(span / 60)} min ago`;
  const axis = [
    h('text', {class: 'axis', x: PAD.left, y: H - 4}, n > 1 ? ago : 'collecting…'),
    h('text', {class: 'axis', x: W - PAD.right, y: H - 4, 'text-anchor': 'end'}, 'now'),
  ];
  const last = n > 0 ? points[n - 1] : {};
  const summary = series.map((s) => `${s.name} ${format(last[s.key])}`).join(', ');
  return h('figure', {class: 'chart'},
    h('figcaption', {}, title),
    h('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}: now ${summary}`},
      grid, lines, axis),
    h('ul', {class: 'legend'}, series.map((s) =>
      h('li', {class: s.cls}, h('span', {class: 'swatch', 'aria-hidden': 'true'}), `${s.name}: ${format(last[s.key])}`))));
}

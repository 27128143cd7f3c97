// Numbers with their units, as operators read them.

const int = new Intl.NumberFormat('en', {maximumFractionDigits: 0});
const dec = new Intl.NumberFormat('en', {maximumFractionDigits: 1});

export function count(n, unit) {
  if (n === null || n === undefined) return '–';
  const text = int.format(n);
  return unit ? `${text} ${n === 1 ? unit : unit + 's'}` : text;
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? int.format(v) : dec.format(v)} ${units[i]}`;
}

export function rate(n) {
  return n === null || n === undefined ? '–' : `${dec.format(n)} msg/s`;
}

export function millis(n) {
  return n === null || n === undefined ? '–' : `${dec.format(n)} ms`;
}

export function seconds(n) {
  if (n === null || n === undefined) return '–';
  if (n >= 4294967295) return 'never';
  if (n < 120) return `${int.format(n)} s`;
  if (n < 7200) return `${dec.format(n / 60)} min`;
  if (n < 172800) return `${dec.format(n / 3600)} h`;
  return `${dec.format(n / 86400)} days`;
}

export function time(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toLocaleString('en-GB', {dateStyle: 'short', timeStyle: 'medium'});
}

export function clock(iso) {
  return new Date(iso).toLocaleTimeString('en-GB');
}

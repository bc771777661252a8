// Small hand-drawn SVG charts for the reports, each with a table of the
// same figures beside it (screen readers and CSV users read the table; the
// chart is marked as an image with a text alternative). No chart library.

import { h, s, num, pct, table } from './render.js';

// Horizontal bars: rows [{label, value}], values formatted by fmt.
export function barChart(title, rows, fmt = (v) => num(v)) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowH = 28;
  const labelW = 170;
  const width = 560;
  const barW = width - labelW - 70;
  const svg = s('svg', { viewBox: `0 0 ${width} ${rows.length * rowH + 10}`, role: 'img', 'aria-label': title, focusable: 'false' },
    rows.map((r, i) => s('g', { transform: `translate(0 ${i * rowH + 5})` },
      s('text', { x: labelW - 8, y: 17, 'text-anchor': 'end' }, r.label),
      s('rect', { class: 'bar', x: labelW, y: 3, height: rowH - 10, width: Math.max(1, (r.value / max) * barW) }),
      s('text', { x: labelW + Math.max(1, (r.value / max) * barW) + 6, y: 17 }, fmt(r.value)))));
  return svg;
}

// Grouped bars: groups [{label, values: [..]}] with one bar per series
// (series names), shares 0..1.
export function groupedBars(title, series, groups) {
  const rowH = 16;
  const gap = 14;
  const labelW = 170;
  const width = 560;
  const barW = width - labelW - 60;
  const groupH = series.length * rowH + gap;
  const svg = s('svg', { viewBox: `0 0 ${width} ${groups.length * groupH + 30}`, role: 'img', 'aria-label': title, focusable: 'false' },
    groups.map((g, gi) => s('g', { transform: `translate(0 ${gi * groupH + 4})` },
      s('text', { x: labelW - 8, y: (series.length * rowH) / 2 + 4, 'text-anchor': 'end' }, g.label),
      g.values.map((v, si) => s('g', {},
        s('rect', { class: si % 2 ? 'bar bar--alt' : 'bar', x: labelW, y: si * rowH, height: rowH - 3, width: Math.max(1, (v || 0) * barW) }),
        s('text', { x: labelW + Math.max(1, (v || 0) * barW) + 4, y: si * rowH + 11 }, `${series[si]} ${pct(v || 0)}`))))));
  return svg;
}

// A chart and its table side by side.
export function chartWithTable(chart, caption, head, rows) {
  return h('div', { class: 'chart-row' }, h('figure', { class: 'chart' }, chart, h('figcaption', { class: 'visually-hidden' }, caption)), table(caption, head, rows));
}
